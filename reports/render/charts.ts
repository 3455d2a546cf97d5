// The report's three charts, drawn server-side with Chart.js on node-canvas and returned as PNG
// data: URIs (the report must open with no network). Each comes with alt text that states what
// the chart shows in numbers, for screen readers and for whoever reads the HTML source.

import type { ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { OverallPointRecord, RunRecord } from '../record/record-schema.ts';
import { fmtDuration, fmtInt, fmtMs } from './format.ts';

export interface ChartImage {
  title: string;
  alt: string;
  /** data:image/png;base64,... */
  src: string;
}

export interface ReportCharts {
  throughput: ChartImage;
  latency: ChartImage;
  errors: ChartImage;
}

const WIDTH = 1000;
const HEIGHT = 300;
const MAX_POINTS = 1200; // about one per horizontal pixel; longer runs are bucketed

let canvas: ChartJSNodeCanvas | undefined;
function renderer(): ChartJSNodeCanvas {
  canvas ??= new ChartJSNodeCanvas({
    width: WIDTH,
    height: HEIGHT,
    backgroundColour: '#ffffff',
    chartCallback: (ChartJS) => {
      ChartJS.defaults.font.family = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";
      ChartJS.defaults.font.size = 12;
      ChartJS.defaults.color = '#222';
    },
  });
  return canvas;
}

/** A point per second, or per `stepS` seconds for long runs: rates are the bucket's mean, latencies its max. */
export interface ChartPoint {
  x: number; // seconds since start
  requests: number;
  failed: number;
  checksFailed: number;
  dropped: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export function chartSeries(
  timeline: OverallPointRecord[],
  maxPoints = MAX_POINTS,
): { points: ChartPoint[]; stepS: number } {
  if (timeline.length === 0) return { points: [], stepS: 1 };
  const t0 = timeline[0].t;
  const span = timeline[timeline.length - 1].t - t0 + 1;
  const stepS = Math.max(1, Math.ceil(span / maxPoints));
  const points: ChartPoint[] = [];
  const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  let cur: ChartPoint | null = null;
  for (const p of timeline) {
    const x = Math.floor((p.t - t0) / stepS) * stepS;
    if (cur === null || cur.x !== x) {
      cur = { x, requests: 0, failed: 0, checksFailed: 0, dropped: 0, p50: null, p95: null, p99: null };
      points.push(cur);
    }
    // Sums now, divided into per-second means below; percentiles can only be bounded (max), never averaged.
    cur.requests += p.requests;
    cur.failed += p.failed;
    cur.checksFailed += p.checksFailed;
    cur.dropped += p.droppedIterations;
    cur.p50 = maxOf(cur.p50, p.p50);
    cur.p95 = maxOf(cur.p95, p.p95);
    cur.p99 = maxOf(cur.p99, p.p99);
  }
  if (stepS > 1) {
    for (const c of points) {
      c.requests /= stepS;
      c.failed /= stepS;
      c.checksFailed /= stepS;
      c.dropped /= stepS;
    }
  }
  return { points, stepS };
}

export function baseOptions(stepS: number, yTitle: string) {
  return {
    responsive: false,
    animation: false as const,
    devicePixelRatio: 2,
    plugins: { legend: { position: 'top' as const }, title: { display: false } },
    elements: { point: { radius: 0 }, line: { borderWidth: 2 } },
    scales: {
      x: {
        type: 'linear' as const,
        title: { display: true, text: stepS > 1 ? `time since start (each point ${stepS} s)` : 'time since start' },
        ticks: { callback: (v: string | number) => fmtDuration(Number(v)), maxTicksLimit: 12, precision: 0 },
        bounds: 'data' as const,
      },
      y: { beginAtZero: true, title: { display: true, text: yTitle } },
    },
  };
}

export const xy = (points: ChartPoint[], f: (p: ChartPoint) => number | null) =>
  points.map((p) => ({ x: p.x, y: f(p) }));

export function peak(points: ChartPoint[], f: (p: ChartPoint) => number | null): { value: number | null; at: number } {
  let value: number | null = null;
  let at = 0;
  for (const p of points) {
    const v = f(p);
    if (v !== null && (value === null || v > value)) {
      value = v;
      at = p.x;
    }
  }
  return { value, at };
}

export async function draw(config: ChartConfiguration): Promise<string> {
  return renderer().renderToDataURL(config, 'image/png');
}

export async function renderCharts(record: RunRecord): Promise<ReportCharts> {
  const { points, stepS } = chartSeries(record.timeline);
  const dur = fmtDuration(record.run.durationS);
  const per = stepS > 1 ? ` (${stepS}-second buckets: rates averaged, latencies the bucket maximum)` : '';
  const noData = points.length === 0;

  const reqPeak = peak(points, (p) => p.requests);
  const p95Peak = peak(points, (p) => p.p95);
  const throughputAlt = noData
    ? 'Requests per second: no samples were recorded.'
    : `Requests per second over ${dur}: mean ${fmtInt(record.totals.achievedRate)}/s, peak ${fmtInt(reqPeak.value)}/s at ${fmtDuration(reqPeak.at)}. ` +
      `p95 latency on the right axis peaks at ${fmtMs(p95Peak.value)} at ${fmtDuration(p95Peak.at)}${per}.`;
  const throughput = await draw({
    type: 'line',
    data: {
      datasets: [
        {
          label: 'requests/s',
          data: xy(points, (p) => p.requests),
          borderColor: '#1f5fbf',
          backgroundColor: 'rgba(31,95,191,0.15)',
          fill: true,
          yAxisID: 'y',
        },
        {
          label: 'p95 latency (ms)',
          data: xy(points, (p) => p.p95),
          borderColor: '#d9480f',
          backgroundColor: '#d9480f',
          yAxisID: 'y1',
          spanGaps: false,
        },
      ],
    },
    options: {
      ...baseOptions(stepS, 'requests per second'),
      scales: {
        ...baseOptions(stepS, 'requests per second').scales,
        y1: {
          position: 'right',
          beginAtZero: true,
          grid: { drawOnChartArea: false },
          title: { display: true, text: 'p95 latency (ms)' },
        },
      },
    },
  } as ChartConfiguration);

  const p50Peak = peak(points, (p) => p.p50);
  const p99Peak = peak(points, (p) => p.p99);
  const latencyAlt = noData
    ? 'Latency percentiles: no samples were recorded.'
    : `Latency per second over ${dur}: p50 up to ${fmtMs(p50Peak.value)}, p95 up to ${fmtMs(p95Peak.value)}, p99 up to ${fmtMs(p99Peak.value)} (at ${fmtDuration(p99Peak.at)}). ` +
      `Whole run: p50 ${fmtMs(record.totals.latency.p50)}, p95 ${fmtMs(record.totals.latency.p95)}, p99 ${fmtMs(record.totals.latency.p99)}${per}.`;
  const latency = await draw({
    type: 'line',
    data: {
      datasets: [
        { label: 'p50', data: xy(points, (p) => p.p50), borderColor: '#2b8a3e', backgroundColor: '#2b8a3e' },
        { label: 'p95', data: xy(points, (p) => p.p95), borderColor: '#d9480f', backgroundColor: '#d9480f' },
        { label: 'p99', data: xy(points, (p) => p.p99), borderColor: '#862e9c', backgroundColor: '#862e9c' },
      ],
    },
    options: baseOptions(stepS, 'latency (ms)'),
  } as ChartConfiguration);

  const failPeak = peak(points, (p) => p.failed);
  const t = record.totals;
  const anyErrors = t.failed + t.checks.failed + t.droppedIterations > 0;
  const errorsAlt = noData
    ? 'Errors per second: no samples were recorded.'
    : !anyErrors
      ? `Errors per second over ${dur}: no failed requests, no failed checks and no dropped iterations.`
      : `Errors per second over ${dur}: ${fmtInt(t.failed)} failed requests in total, peak ${fmtInt(failPeak.value)}/s at ${fmtDuration(failPeak.at)}; ` +
        `${fmtInt(t.checks.failed)} failed checks; ${fmtInt(t.droppedIterations)} dropped iterations${per}.`;
  const errors = await draw({
    type: 'line',
    data: {
      datasets: [
        {
          label: 'failed requests/s',
          data: xy(points, (p) => p.failed),
          borderColor: '#c92a2a',
          backgroundColor: 'rgba(201,42,42,0.15)',
          fill: true,
        },
        {
          label: 'failed checks/s',
          data: xy(points, (p) => p.checksFailed),
          borderColor: '#e67700',
          backgroundColor: '#e67700',
        },
        {
          label: 'dropped iterations/s',
          data: xy(points, (p) => p.dropped),
          borderColor: '#5f3dc4',
          backgroundColor: '#5f3dc4',
          borderDash: [6, 4],
        },
      ],
    },
    options: baseOptions(stepS, 'per second'),
  } as ChartConfiguration);

  return {
    throughput: { title: 'Throughput and p95 latency', alt: throughputAlt, src: throughput },
    latency: { title: 'Latency percentiles over time', alt: latencyAlt, src: latency },
    errors: { title: 'Errors over time', alt: errorsAlt, src: errors },
  };
}
