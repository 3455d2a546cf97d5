// capacity.html: the capacity curve first (requests/s at the SLO per instance count against
// perfect linear scaling), then the findings in words, the sale-day recommendation, the time
// scales, and per count how the knee was found. Self-contained like report.html.

import type { ChartConfiguration } from 'chart.js';
import type { CapacityCurve } from '../analyse/capacity-curve.ts';
import { draw, type ChartImage } from './charts.ts';
import { escapeHtml as h } from './escape.ts';
import { REPORT_CSS } from './report-style.ts';

const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
const f1 = (x: number | null) => (x === null ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`);

export async function capacityChart(curve: CapacityCurve): Promise<ChartImage | null> {
  const pts = curve.points.filter((p) => p.requestsPerS !== null);
  if (pts.length === 0) return null;
  const maxN = Math.max(...curve.points.map((p) => p.instances));
  const alt =
    `Requests per second held at SLO "${curve.settings.sloName}" by instance count: ` +
    `${pts.map((p) => `${p.instances} → ${f1(p.requestsPerS)} (${pct(p.efficiency)} of linear)`).join(', ')}` +
    `${curve.flattensAfter !== null ? `; flattens beyond ${curve.flattensAfter}` : ''}.`;
  const src = await draw({
    type: 'line',
    data: {
      datasets: [
        {
          label: 'measured (requests/s at the SLO)',
          data: pts.map((p) => ({ x: p.instances, y: p.requestsPerS })),
          borderColor: '#1f5fbf',
          backgroundColor: '#1f5fbf',
          pointRadius: 5,
        },
        {
          label: 'perfect linear scaling',
          data: curve.points.filter((p) => p.linear !== null).map((p) => ({ x: p.instances, y: p.linear })),
          borderColor: '#868e96',
          backgroundColor: '#868e96',
          borderDash: [6, 4],
          pointRadius: 0,
        },
      ],
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 2,
      plugins: { legend: { position: 'top' } },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          max: maxN + 0.5,
          title: { display: true, text: 'app instances in service' },
          ticks: { stepSize: 1, precision: 0 },
        },
        y: { beginAtZero: true, title: { display: true, text: 'requests/s at the SLO' } },
      },
    },
  } as ChartConfiguration);
  return { title: 'Capacity curve', alt, src };
}

export async function renderCapacityReport(
  id: string,
  curve: CapacityCurve,
  counts: Array<{
    instances: number;
    kneeJourneysPerS: number | null;
    brokeAtJourneysPerS: number | null;
    whyBroke: string[];
    plateauCount: number;
    searchMinutes: number;
    p95ByJourneyAtKnee: Record<string, number | null>;
  }> = [],
): Promise<string> {
  const chart = await capacityChart(curve);
  const rows = curve.points.map((p) => {
    const c = counts.find((x) => x.instances === p.instances);
    const p95 = c
      ? Object.entries(c.p95ByJourneyAtKnee)
          .map(([j, v]) => `${h(j)} ${v === null ? '–' : Math.round(v)}`)
          .join(', ')
      : '';
    return (
      `<tr><td class="n">${p.instances}</td><td class="n">${f1(p.requestsPerS)}</td><td class="n">${c ? f1(c.kneeJourneysPerS) : '–'}</td>` +
      `<td class="n">${f1(p.linear)}</td><td class="n">${pct(p.efficiency)}</td><td class="n">${pct(p.marginal)}</td><td>${h(p.limitingTier ?? '–')}</td>` +
      `<td>${h(p.outcome)}${c ? ` (${c.plateauCount} plateaus, ${c.searchMinutes.toFixed(1)} min)` : ''}</td><td>${p95}</td><td>${h(c?.whyBroke[0] ?? '')}</td></tr>`
    );
  });
  const rec = curve.recommendation;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Capacity · ${h(id)} · Rehearse</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>Capacity at SLO ${h(curve.settings.sloName)}</h1>
<p class="meta">capacity search ${h(id)} · plateaus of ${curve.settings.plateauS} s, steps ×${curve.settings.stepFactor}, knee within ${Math.round(curve.settings.tolerance * 100)} %${curve.modelled ? ' · <b>modelled</b> (local replica)' : ''}</p>
${chart ? `<figure><img src="${h(chart.src)}" alt="${h(chart.alt)}" width="1000" height="300"><figcaption><b>${h(chart.title)}.</b> ${h(chart.alt)}</figcaption></figure>` : '<p>No instance count held the SLO: there is no curve to draw.</p>'}
<h2 id="findings">What the curve says</h2>
<ul>${curve.findings.map((x) => `<li>${h(x)}</li>`).join('')}</ul>
${rec ? `<h2 id="sale-day">Sale day</h2><p>${h(rec.text)}</p>` : ''}
<h2 id="time">Time scales</h2>
<ul>${curve.timeScales.map((x) => `<li>${h(x)}</li>`).join('')}</ul>
<h2 id="counts">Per instance count</h2>
<table><thead><tr><th class="n">instances</th><th class="n">requests/s at SLO</th><th class="n">journeys/s</th><th class="n">linear</th><th class="n">efficiency</th><th class="n">marginal</th><th>limiting tier</th><th>search</th><th>p95 at the knee, ms</th><th>why the next step broke</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
<footer>Rehearse capacity search: each count pinned (autoscaling held), the arrival rate stepped up in plateaus, then bisected between the last that held and the first that broke. "Held" = every SLO objective met, dropped iterations under 1 %, the load as planned and the load generator healthy.</footer>
</body>
</html>
`;
}
