// The report's analysis charts (rate vs plan, latency per journey, instances with scaling
// activities, CPU per tier, cost per request), each null when its data is absent: the report
// never shows an empty chart. Same renderer and conventions as charts.ts.

import type { ChartConfiguration } from 'chart.js';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { RunAnalysis } from '../analyse/analyse-run.ts';
import { inServiceAt, pendingAt } from '../analyse/fleet.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { baseOptions, draw, type ChartImage } from './charts.ts';
import { fmtDuration, fmtInt, fmtMs } from './format.ts';

const MAX_POINTS = 1200;
const COLOURS = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#c92a2a', '#5c940d'];

/** Every n-th point so a long run stays near one point per pixel; keeps the step for the axis title. */
function thin<T>(xs: T[]): { pts: T[]; step: number } {
  const step = Math.max(1, Math.ceil(xs.length / MAX_POINTS));
  return { pts: step === 1 ? xs : xs.filter((_, i) => i % step === 0), step };
}

export async function rateVsPlanChart(a: RunAnalysis): Promise<ChartImage | null> {
  const pr = a.plannedRate;
  if (!pr || pr.points.length === 0) return null;
  const { pts, step } = thin(pr.points);
  const short = pr.plannedTotal > 0 ? (pr.plannedTotal - pr.achievedTotal) / pr.plannedTotal : 0;
  const alt =
    `Journey starts per second, planned vs achieved: ${fmtInt(pr.plannedTotal)} planned, about ${fmtInt(pr.achievedTotal)} achieved` +
    `${short > 0.01 ? ` (${(short * 100).toFixed(1)} % short of the plan)` : ''}. Achieved is estimated from requests per second ÷ requests per journey.`;
  const src = await draw({
    type: 'line',
    data: {
      datasets: [
        {
          label: 'planned journeys/s',
          data: pts.map((p) => ({ x: p.x, y: p.planned })),
          borderColor: '#868e96',
          backgroundColor: '#868e96',
          borderDash: [6, 4],
        },
        {
          label: 'achieved journeys/s (est.)',
          data: pts.map((p) => ({ x: p.x, y: p.achieved })),
          borderColor: '#1f5fbf',
          backgroundColor: 'rgba(31,95,191,0.15)',
          fill: true,
        },
      ],
    },
    options: baseOptions(step, 'journey starts per second'),
  } as ChartConfiguration);
  return { title: 'Arrival rate: achieved vs plan', alt, src };
}

export async function journeyLatencyChart(record: RunRecord): Promise<ChartImage | null> {
  if (record.journeys.length < 2 || record.timeline.length === 0) return null;
  const t0 = record.timeline[0].t;
  const datasets = record.journeys.slice(0, COLOURS.length).map((j, i) => {
    const { pts } = thin(j.timeline);
    return {
      label: `${j.name} p95`,
      data: pts.map((p) => ({ x: p.t - t0, y: p.p95 })),
      borderColor: COLOURS[i],
      backgroundColor: COLOURS[i],
    };
  });
  const alt = `p95 latency per second for each journey: ${record.journeys.map((j) => `${j.name} ${fmtMs(j.latency.p95)} over the run`).join(', ')}.`;
  const src = await draw({
    type: 'line',
    data: { datasets },
    options: baseOptions(Math.max(1, Math.ceil(record.timeline.length / MAX_POINTS)), 'p95 latency (ms)'),
  } as ChartConfiguration);
  return { title: 'p95 latency per journey', alt, src };
}

export async function instancesChart(
  tel: Telemetry,
  a: RunAnalysis,
  t0: number,
  t1: number,
): Promise<ChartImage | null> {
  if (tel.instances.length === 0 && tel.capacity.inService.length === 0) return null;
  const xs: number[] = [];
  for (let t = t0; t < t1; t++) xs.push(t);
  const { pts, step } = thin(xs);
  const acts = a.scaling?.activities.filter((x) => x.start >= t0 && x.start < t1) ?? [];
  const maxIn = Math.max(...pts.map((t) => inServiceAt(tel, t) + pendingAt(tel, t)), 1);
  const b = a.scaling?.breaches[0];
  const alt =
    `Instances in service and pending over ${fmtDuration(t1 - t0)}; ${acts.length} scaling activit${acts.length === 1 ? 'y' : 'ies'} marked` +
    `${acts.length ? ` (first at ${fmtDuration(acts[0].atS)}: ${acts[0].delta > 0 ? '+' : ''}${acts[0].delta})` : ''}. ` +
    (b
      ? `First SLO breach at ${fmtDuration(b.from - t0)}; ${b.timeToCapacityS !== null ? `new capacity in service ${fmtDuration(b.timeToCapacityS)} later` : 'no new capacity came into service'}.`
      : 'The SLO was not breached.');
  const src = await draw({
    type: 'line',
    data: {
      datasets: [
        {
          label: 'in service',
          data: pts.map((t) => ({ x: t - t0, y: inServiceAt(tel, t) })),
          borderColor: '#2b8a3e',
          backgroundColor: 'rgba(43,138,62,0.15)',
          fill: true,
          stepped: true,
        },
        {
          label: 'pending',
          data: pts.map((t) => ({ x: t - t0, y: pendingAt(tel, t) })),
          borderColor: '#e67700',
          backgroundColor: '#e67700',
          stepped: true,
        },
        {
          type: 'scatter',
          label: 'scaling activity',
          data: acts.map((x) => ({ x: x.atS, y: maxIn + 0.5 })),
          borderColor: '#862e9c',
          backgroundColor: '#862e9c',
          pointStyle: 'triangle',
          pointRadius: 7,
        },
      ],
    },
    options: {
      ...baseOptions(step, 'instances'),
      scales: {
        ...baseOptions(step, 'instances').scales,
        y: {
          beginAtZero: true,
          suggestedMax: maxIn + 1,
          ticks: { precision: 0 },
          title: { display: true, text: 'instances' },
        },
      },
    },
  } as ChartConfiguration);
  return { title: 'Instances and scaling activities', alt, src };
}

export async function cpuChart(tel: Telemetry, a: RunAnalysis, t0: number, t1: number): Promise<ChartImage | null> {
  if (a.capacity.tiers.length === 0) return null;
  const inWin = (p: { t: number }) => p.t >= t0 && p.t < t1;
  const byT = new Map<number, number[]>();
  for (const s of Object.values(tel.cpu.perInstance))
    for (const p of s.filter(inWin)) (byT.get(p.t) ?? byT.set(p.t, []).get(p.t)!).push(p.v);
  const app = [...byT.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([t, vs]) => ({ x: t - t0, y: vs.reduce((s, v) => s + v, 0) / vs.length }));
  const series = (s: Array<{ t: number; v: number }>) =>
    thin(s.filter(inWin).map((p) => ({ x: p.t - t0, y: p.v }))).pts;
  const bn = a.capacity.bottleneck!;
  const alt =
    `CPU per tier, percent of capacity: ${a.capacity.tiers.map((x) => `${x.tier} mean ${x.mean.toFixed(0)} %, p95 ${x.p95.toFixed(0)} %`).join('; ')}. ` +
    `Hottest: ${bn.tier}${bn.p95 >= a.capacity.saturatedAtPct ? ' (saturated)' : ''}.`;
  const src = await draw({
    type: 'line',
    data: {
      datasets: [
        { label: 'app (mean of instances)', data: thin(app).pts, borderColor: '#1f5fbf', backgroundColor: '#1f5fbf' },
        { label: 'database', data: series(tel.cpu.db), borderColor: '#d9480f', backgroundColor: '#d9480f' },
        { label: 'cache', data: series(tel.cpu.cache), borderColor: '#2b8a3e', backgroundColor: '#2b8a3e' },
      ],
    },
    options: {
      ...baseOptions(1, 'CPU %'),
      scales: {
        ...baseOptions(1, 'CPU %').scales,
        y: { beginAtZero: true, suggestedMax: 100, title: { display: true, text: 'CPU % of capacity' } },
      },
    },
  } as ChartConfiguration);
  return { title: 'CPU per tier', alt, src };
}

export async function costChart(a: RunAnalysis, t0: number): Promise<ChartImage | null> {
  const c = a.cost;
  if (!c || !c.perMinute.some((m) => m.perRequest !== null)) return null;
  const label = c.modelled
    ? `modelled cost per 1 000 requests (USD, price book ${c.priceBookAsOf})`
    : `cost per 1 000 requests (USD, price book ${c.priceBookAsOf})`;
  const alt =
    `${c.modelled ? 'Modelled cost' : 'Cost'} per 1 000 requests per minute, priced from the ${c.region} price book of ${c.priceBookAsOf}: ` +
    `whole window $${c.total.toFixed(4)}, ${c.perRequest !== null ? `$${(c.perRequest * 1000).toFixed(4)} per 1 000 requests` : 'no requests'}.`;
  const src = await draw({
    type: 'bar',
    data: {
      datasets: [
        {
          label,
          data: c.perMinute
            .filter((m) => m.perRequest !== null)
            .map((m) => ({ x: Math.max(0, m.t - t0), y: m.perRequest! * 1000 })),
          backgroundColor: 'rgba(31,95,191,0.6)',
          barThickness: 'flex',
        },
      ],
    },
    options: baseOptions(60, 'USD per 1 000 requests'),
  } as ChartConfiguration);
  return { title: c.modelled ? 'Cost per request over time (modelled)' : 'Cost per request over time', alt, src };
}
