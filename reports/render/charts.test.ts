import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import type { OverallPointRecord } from '../record/record-schema.ts';
import { chartSeries, renderCharts } from './charts.ts';

const point = (t: number, requests: number, p95: number | null): OverallPointRecord => ({
  t,
  requests,
  failed: 1,
  p50: p95 === null ? null : p95 / 2,
  p95,
  p99: p95 === null ? null : p95 * 2,
  checksFailed: 0,
  droppedIterations: 0,
  vus: 1,
});

test('short runs chart every second, x in seconds since start', () => {
  const { points, stepS } = chartSeries([point(100, 5, 10), point(101, 7, null), point(102, 9, 30)]);
  assert.equal(stepS, 1);
  assert.deepEqual(
    points.map((p) => [p.x, p.requests, p.p95]),
    [
      [0, 5, 10],
      [1, 7, null],
      [2, 9, 30],
    ],
  );
});

test('long runs are bucketed: rates averaged per second, percentiles the bucket maximum (never averaged)', () => {
  const timeline = Array.from({ length: 10 }, (_, i) => point(1000 + i, i, i === 3 ? 500 : 10));
  const { points, stepS } = chartSeries(timeline, 5);
  assert.equal(stepS, 2);
  assert.deepEqual(
    points.map((p) => p.x),
    [0, 2, 4, 6, 8],
  );
  assert.deepEqual(
    points.map((p) => p.requests),
    [0.5, 2.5, 4.5, 6.5, 8.5],
  );
  assert.deepEqual(
    points.map((p) => p.p95),
    [10, 500, 10, 10, 10],
  );
  assert.deepEqual(
    points.map((p) => p.failed),
    [1, 1, 1, 1, 1],
  );
});

function pngSize(dataUri: string): { width: number; height: number } {
  const png = Buffer.from(dataUri.slice('data:image/png;base64,'.length), 'base64');
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('renders three PNG charts at 2x resolution with alt text stating the numbers', async () => {
  const record = await fixtureRecord();
  const charts = await renderCharts(record);
  for (const c of [charts.throughput, charts.latency, charts.errors]) {
    assert.match(c.src, /^data:image\/png;base64,/);
    assert.deepEqual(pngSize(c.src), { width: 2000, height: 600 });
    assert.ok(c.alt.length > 40, c.alt);
  }
  assert.match(charts.throughput.alt, new RegExp(`peak ${record.totals.peakRate}/s`));
  assert.match(charts.errors.alt, new RegExp(`${record.totals.failed} failed requests`));
});

test('a run without samples still renders, and says so', async () => {
  const record = await fixtureRecord();
  record.timeline = [];
  const charts = await renderCharts(record);
  assert.equal(charts.latency.alt, 'Latency percentiles: no samples were recorded.');
  assert.deepEqual(pngSize(charts.latency.src), { width: 2000, height: 600 });
});
