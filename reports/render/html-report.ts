// record.json → one self-contained report.html: verdict first, then the numbers someone paged at
// 2 a.m. needs, charts as embedded PNGs, tables, input quality and run settings. A strict CSP
// meta tag forbids the page from loading anything, so "self-contained" is enforced, not hoped.

import { crossCheck } from '../analyse/k6-cross-check.ts';
import { judgeRun, type Verdict } from '../analyse/verdict.ts';
import type { RunRecord } from '../record/record-schema.ts';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { RunAnalysis } from '../analyse/analyse-run.ts';
import { renderCharts, type ChartImage } from './charts.ts';
import { costChart, cpuChart, instancesChart, journeyLatencyChart, rateVsPlanChart } from './charts-capacity.ts';
import {
  capacitySection,
  checkoutSection,
  comparisonSection,
  costSection,
  errorBreakdownSection,
  objectivesSection,
  recommendationSection,
} from './html-analysis.ts';
import { escapeHtml as h } from './escape.ts';
import { fmtBytes, fmtDuration, fmtInt, fmtMs, fmtPct, fmtRate } from './format.ts';
import { REPORT_CSS } from './report-style.ts';
import { plainHttpNotice, transportSetting } from './transport-notice.ts';

export interface HtmlReportOptions {
  /** Defaults to judgeRun(record) (the default SLO); write-report passes runVerdict(analysis.gate). */
  verdict?: Verdict;
  /** The run's analysis: adds SLO, baseline, capacity, scaling, cost sections and charts. */
  analysis?: RunAnalysis;
  /** For the instances and CPU charts. */
  telemetry?: Telemetry | null;
}

const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const num = (v: string, cls = '') => `<td class="n${cls ? ' ' + cls : ''}">${v}</td>`;
const rateCell = (failed: number, requests: number, errorRate: number) =>
  num(`${fmtInt(failed)} <small>(${fmtPct(errorRate)})</small>`, errorRate > 0.01 ? 'bad' : '');
const topCounts = (m: Record<string, number>, n = 3) =>
  Object.entries(m)
    .slice(0, n)
    .map(([k, v]) => `${h(k)}&nbsp;×&nbsp;${fmtInt(v)}`)
    .join(', ');

function verdictSection(record: RunRecord, v: Verdict): string {
  const r = record.run;
  const notice = plainHttpNotice(record);
  const when = r.startedAt ? `${r.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}` : 'no samples';
  const bits = [
    `run ${h(r.id)}`,
    r.profile ? `profile ${h(r.profile)}` : '',
    r.target.baseUrl ? `target ${h(r.target.baseUrl)}` : '',
    when,
    `${fmtDuration(r.durationS)} long`,
  ].filter(Boolean);
  return `<header class="verdict ${v.status === 'PASS' ? 'pass' : 'fail'}" id="verdict">
<p class="status">${h(v.status)}</p>
${v.untrusted.length ? `<p class="untrusted"><strong>Latency figures in this report cannot be trusted:</strong> ${v.untrusted.map(h).join(' ')}</p>` : ''}
<ul>${v.reasons.map((x) => `<li>${h(x)}</li>`).join('')}</ul>
<p class="rule">${h(v.rule)}</p>
</header>
<h1>Load test report</h1>
<p class="meta">${bits.join(' · ')}</p>${notice ? `\n<p class="notice">${h(notice)}</p>` : ''}`;
}

function headline(record: RunRecord): string {
  const t = record.totals;
  const item = (label: string, value: string, sub = '') =>
    `<div><dt>${label}</dt><dd>${value}${sub ? `<small>${sub}</small>` : ''}</dd></div>`;
  return `<dl class="headline">
${item('Requests', fmtInt(t.requests), `${fmtInt(t.iterations)} iterations`)}
${item('Achieved rate', fmtRate(t.achievedRate), `peak ${fmtRate(t.peakRate)} requests`)}
${item('Error rate', `<span class="${t.errorRate > 0.01 ? 'bad' : ''}">${fmtPct(t.errorRate)}</span>`, `${fmtInt(t.failed)} failed`)}
${item('p95 latency', fmtMs(t.latency.p95), `p50 ${fmtMs(t.latency.p50)}`)}
${item('p99 latency', fmtMs(t.latency.p99), `max ${fmtMs(t.latency.max)}`)}
${item('Dropped iterations', fmtInt(t.droppedIterations), fmtPct(t.droppedRate))}
</dl>`;
}

function figure(c: ChartImage | null): string {
  if (c === null) return '';
  return `<figure><img src="${h(c.src)}" alt="${h(c.alt)}" width="1000" height="300"><figcaption><b>${h(c.title)}.</b> ${h(c.alt)}</figcaption></figure>`;
}

const LAT_HEAD =
  '<th class="n">p50</th><th class="n">p90</th><th class="n">p95</th><th class="n">p99</th><th class="n">max</th>';
type Lat = RunRecord['totals']['latency'];
const latCells = (l: Lat) => [l.p50, l.p90, l.p95, l.p99, l.max].map((x) => num(fmtMs(x))).join('');

function journeyTable(record: RunRecord): string {
  if (record.journeys.length === 0) return '<p>No journeys recorded.</p>';
  const rows = record.journeys.map(
    (j) =>
      `<tr><td>${h(j.name)}</td>${num(fmtInt(j.requests))}${rateCell(j.failed, j.requests, j.errorRate)}${latCells(j.latency)}` +
      `${num(fmtInt(j.iterations))}${num(fmtInt(j.droppedIterations), j.droppedIterations > 0 ? 'bad' : '')}` +
      `${num(j.assets ? `${fmtInt(j.assets.requests)} <small>p95 ${fmtMs(j.assets.latency.p95)}</small>` : '–')}<td>${topCounts(j.errorsByStatus)}</td></tr>`,
  );
  return (
    `<p>Journey latency covers its pages and API calls, what the SLO's limits apply to; static assets (CSS, JS, images) are counted apart.</p>` +
    `<table><thead><tr><th>journey</th><th class="n">requests</th><th class="n">errors</th>${LAT_HEAD}<th class="n">iterations</th><th class="n">dropped</th><th class="n">assets</th><th>errors by status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function endpointTable(record: RunRecord): string {
  const rows = record.journeys.flatMap((j) =>
    [...j.endpoints]
      .sort((a, b) => b.requests - a.requests)
      .map(
        (e) =>
          `<tr><td>${h(j.name)}</td><td>${h(e.name)}</td>${num(fmtInt(e.requests))}${rateCell(e.failed, e.requests, e.errorRate)}${latCells(e.latency)}<td>${topCounts(e.errorsByStatus)}</td></tr>`,
      ),
  );
  if (rows.length === 0) return '<p>No requests recorded.</p>';
  return `<table><thead><tr><th>journey</th><th>endpoint</th><th class="n">requests</th><th class="n">errors</th>${LAT_HEAD}<th>errors by status</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function checksTable(record: RunRecord): string {
  const rows = record.journeys.flatMap((j) =>
    j.checks.byName.map(
      (c) =>
        `<tr><td>${h(j.name)}</td><td>${h(c.name)}</td>${num(fmtInt(c.passed))}${num(fmtInt(c.failed), c.failed > 0 ? 'bad' : '')}</tr>`,
    ),
  );
  if (rows.length === 0) return '';
  return `<h2>Checks</h2><table><thead><tr><th>journey</th><th>check</th><th class="n">passed</th><th class="n">failed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function inputSection(record: RunRecord): string {
  const i = record.input;
  const x = crossCheck(record);
  const items: string[] = [
    `${fmtInt(i.files.length)} sample file(s) from ${fmtInt(record.run.runners.length)} runner(s): ${fmtInt(i.lines)} lines, ${fmtInt(i.samples)} well-formed samples.`,
    i.corruptLines === 0
      ? 'No corrupt lines.'
      : `<span class="bad">${fmtInt(i.corruptLines)} corrupt line(s) skipped</span> (truncated or malformed; the numbers above exclude them).`,
    i.lateSamples === 0
      ? 'No late samples.'
      : `${fmtInt(i.lateSamples)} sample(s) arrived after their second was closed: counted in the totals, missing from the timeline.`,
  ];
  if (x.requestsMatch === null) {
    items.push(
      `k6 summary cross-check not possible: summary.json found for ${x.runnersWithSummary} of ${x.runners} runner(s).`,
    );
  } else {
    const p95 =
      x.p95Deviation !== null
        ? ` k6 p95 ${x.k6P95!.toFixed(3)} ms vs ${x.recordP95!.toFixed(3)} ms here (${fmtPct(x.p95Deviation)} apart; HDR keeps 3 significant digits).`
        : '';
    items.push(
      x.requestsMatch
        ? `k6's own summary agrees: ${fmtInt(x.k6Requests)} requests.${p95}`
        : `<span class="bad">k6's own summary counted ${fmtInt(x.k6Requests)} requests, this record ${fmtInt(x.recordRequests)}.</span>${p95}`,
    );
  }
  for (const n of i.notes) items.push(h(n));
  const examples =
    i.corruptExamples.length === 0
      ? ''
      : `<table><thead><tr><th>file</th><th class="n">line</th><th>reason</th><th>text</th></tr></thead><tbody>${i.corruptExamples
          .map(
            (c) =>
              `<tr><td>${h(c.file)}</td>${num(fmtInt(c.line))}<td>${h(c.reason)}</td><td><code>${h(c.text)}</code></td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<h2>Input quality</h2><ul>${items.map((s) => `<li>${s}</li>`).join('')}</ul>${examples}`;
}

function settingsSection(record: RunRecord, a?: RunAnalysis): string {
  const r = record.run;
  const rows: Array<[string, string]> = [
    ['Run id', h(r.id)],
    ['Profile', h(r.profile ?? 'unknown')],
    ['Target', h([r.target.kind, r.target.baseUrl].filter(Boolean).join(' ') || 'unknown')],
    ['Transport', h(transportSetting(record))],
    ['Started', h(r.startedAt ?? '–')],
    ['Ended', h(r.endedAt ?? '–')],
    [
      'Duration',
      `${fmtDuration(r.durationS)}${r.plannedDurationS !== null ? ` (planned ${fmtDuration(r.plannedDurationS)})` : ''}`,
    ],
    ['Planned peak', r.plannedPeakRate !== null ? `${fmtRate(r.plannedPeakRate)} journey starts` : 'unknown'],
    [
      'Journeys planned',
      r.expectedTotal !== null
        ? `${fmtInt(r.expectedTotal)}; completed ${fmtInt(record.totals.iterations)}, dropped ${fmtInt(record.totals.droppedIterations)}`
        : 'unknown',
    ],
    ['Completed', r.interrupted ? '<span class="bad">no: interrupted before the planned end</span>' : 'yes'],
    ['k6 version', h(r.k6Version ?? 'unknown')],
    ['Runners', h(r.runners.join(', '))],
    ['Data', `${fmtBytes(record.totals.bytes.received)} received, ${fmtBytes(record.totals.bytes.sent)} sent`],
    ['Record', `${h(record.schema)}, generated ${h(record.generatedAt)}`],
  ];
  if (a) {
    rows.push([
      'SLO',
      a.slo.given
        ? h(a.slo.name)
        : 'none given: the default SLO (scenarios/slo/default-slo.ts: 1 % errors, 99 % checks, per-journey latency limits)',
    ]);
    if (a.timeScales) rows.push(['Time scales', a.timeScales.text.map(h).join(' ')]);
    if (a.comparison)
      rows.push([
        'Baseline',
        `${h(a.comparison.baselineId)}, tolerance ${+(a.comparison.tolerance * 100).toFixed(1)} %`,
      ]);
    if (a.cost)
      rows.push([
        'Prices',
        `${h(a.cost.region)} price book of ${h(a.cost.priceBookAsOf)}${a.cost.modelled ? ' (local run: modelled as the mapped AWS stack)' : ''}`,
      ]);
    rows.push(['Analysis', `${h(a.schema)}, generated ${h(a.generatedAt)}`]);
  }
  return `<h2>Run settings</h2><dl class="settings">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export async function renderHtmlReport(record: RunRecord, opts: HtmlReportOptions = {}): Promise<string> {
  const verdict = opts.verdict ?? judgeRun(record);
  const charts = await renderCharts(record);
  const a = opts.analysis;
  const tel = opts.telemetry ?? null;
  const t0 = record.timeline[0]?.t ?? 0;
  const t1 = (record.timeline[record.timeline.length - 1]?.t ?? 0) + 1;
  const extra = {
    rate: a ? await rateVsPlanChart(a) : null,
    journeys: await journeyLatencyChart(record),
    instances: a && tel && record.timeline.length ? await instancesChart(tel, a, t0, t1) : null,
    cpu: a && tel ? await cpuChart(tel, a, t0, t1) : null,
    cost: a ? await costChart(a, t0) : null,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(verdict.status)} · ${h(record.run.id)} · Rehearse load test</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${verdictSection(record, verdict)}
${headline(record)}
${a ? objectivesSection(a) + comparisonSection(a) : ''}
<h2>Over time</h2>
${figure(charts.throughput)}
${figure(extra.rate)}
${figure(charts.latency)}
${figure(extra.journeys)}
${figure(charts.errors)}
${a ? errorBreakdownSection(a) : ''}
${a ? capacitySection(a) : ''}
${figure(extra.instances)}
${figure(extra.cpu)}
${a ? recommendationSection(a) + checkoutSection(a) + costSection(a) : ''}
${figure(extra.cost)}
<h2>Journeys</h2>
${journeyTable(record)}
<h2>Endpoints</h2>
${endpointTable(record)}
${checksTable(record)}
${inputSection(record)}
${settingsSection(record, a)}
<footer>Rehearse report from ${h(record.schema)} record. Latency percentiles come from HDR histograms (3 significant digits) merged exactly across runners.</footer>
</body>
</html>
`;
}
