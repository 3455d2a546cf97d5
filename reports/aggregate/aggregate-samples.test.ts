import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import {
  droppedLine,
  iterationLines,
  K6_HEADER,
  latencyMs,
  prng,
  requestLines,
  vusLine,
  type SyntheticRequest,
} from '../fixtures/synthetic-k6-csv.ts';
import { aggregateSamples } from './aggregate-samples.ts';
import { latencyStats, newSecondHistogram } from './hdr-buckets.ts';

const T0 = 1795600000;
const ENDPOINTS: Record<string, string[]> = {
  browse: ['home', 'product "a,b"'],
  checkout: ['cart', 'pay'],
  search: ['search'],
};

interface Dataset {
  requests: SyntheticRequest[];
  dropped: Array<{ t: number; scenario: string }>;
  iterations: Array<{ t: number; scenario: string; bytesIn: number; bytesOut: number }>;
}

function makeDataset(seconds: number, perSecond: number, seed: number): Dataset {
  const rand = prng(seed);
  const ds: Dataset = { requests: [], dropped: [], iterations: [] };
  const journeys = Object.keys(ENDPOINTS);
  for (let s = 0; s < seconds; s++) {
    for (let i = 0; i < perSecond; i++) {
      const scenario = journeys[Math.floor(rand() * journeys.length)];
      const names = ENDPOINTS[scenario];
      const roll = rand();
      const status = roll < 0.01 ? 503 : roll < 0.015 ? 0 : roll < 0.02 ? 404 : 200;
      const ms = Math.round(latencyMs(rand) * 1000) / 1000; // whole µs, as the histograms keep them
      ds.requests.push({
        t: T0 + s,
        scenario,
        name: names[i % names.length],
        status,
        ms,
        failed: status !== 200,
        check: { name: `${scenario} ok`, ok: status === 200 },
      });
      if (i % 3 === 0) ds.iterations.push({ t: T0 + s, scenario, bytesIn: 1000 + i, bytesOut: 100 + i });
    }
    if (s % 10 === 5) ds.dropped.push({ t: T0 + s, scenario: 'checkout' });
  }
  return ds;
}

/** Lines of a dataset, split over `runners` files, each near time-ordered (disorder up to ±maxSkewS). */
function runnerFiles(ds: Dataset, runners: number, maxSkewS: number, seed: number): string[] {
  const rand = prng(seed);
  const groups: Array<{ runner: number; key: number; lines: string[] }> = [];
  for (const r of ds.requests)
    groups.push({
      runner: Math.floor(rand() * runners),
      key: r.t + (rand() * 2 - 1) * maxSkewS,
      lines: requestLines(r),
    });
  for (const it of ds.iterations)
    groups.push({
      runner: Math.floor(rand() * runners),
      key: it.t,
      lines: iterationLines(it.t, it.scenario, it.bytesIn, it.bytesOut),
    });
  for (const d of ds.dropped)
    groups.push({ runner: Math.floor(rand() * runners), key: d.t, lines: [droppedLine(d.t, d.scenario)] });
  const files: string[][] = Array.from({ length: runners }, () => [K6_HEADER]);
  groups.sort((a, b) => a.key - b.key);
  for (const g of groups) files[g.runner].push(...g.lines);
  for (let r = 0; r < runners; r++) files[r].splice(1, 0, vusLine(T0, 10 + r));
  return files.map((f) => f.join('\n') + '\n');
}

async function writeRun(files: string[]): Promise<Array<{ runner: string; files: string[] }>> {
  const dir = tempDir('rehearse-agg-');
  const out = [];
  for (let i = 0; i < files.length; i++) {
    const path = join(dir, `r${i}.csv`);
    await writeFile(path, files[i]);
    out.push({ runner: `r${i}`, files: [path] });
  }
  return out;
}

const us = (ms: number) => Math.round(ms * 1000);

/** Nearest-rank percentile over exact values: HDR must report this value's bucket. */
function exactPercentile(sortedUs: number[], p: number): number {
  return sortedUs[Math.max(1, Math.ceil((p / 100) * sortedUs.length)) - 1];
}

function assertWithinHdr(actualMs: number | null, valuesUs: number[], p: number, label: string) {
  const sorted = [...valuesUs].sort((a, b) => a - b);
  const exact = exactPercentile(sorted, p);
  assert.notEqual(actualMs, null, label);
  const got = Math.round(actualMs! * 1000);
  // 3 significant digits: the bucket holding `exact` spans less than exact/1024 above it.
  assert.ok(got >= exact && got <= exact + exact / 1000 + 1, `${label}: p${p} ${got} µs, exact ${exact} µs`);
}

test('totals and percentiles per journey, endpoint and overall match the sample values (within HDR precision)', async () => {
  const ds = makeDataset(60, 80, 1);
  const agg = await aggregateSamples(await writeRun(runnerFiles(ds, 2, 0, 2)));
  const overall = agg.totals.overall();
  assert.equal(overall.requests.requests, ds.requests.length);
  assert.equal(overall.requests.failed, ds.requests.filter((r) => r.failed).length);
  assert.equal(overall.iterations, ds.iterations.length);
  assert.equal(overall.droppedIterations, ds.dropped.length);
  assert.equal(
    overall.bytesReceived,
    ds.iterations.reduce((s, i) => s + i.bytesIn, 0),
  );
  assert.equal(overall.checks.failed, ds.requests.filter((r) => r.failed).length);
  assert.deepEqual(
    Object.fromEntries(overall.requests.errorsByStatus),
    ds.requests
      .filter((r) => r.failed)
      .reduce<Record<string, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {}),
  );
  const groups: Array<[string, SyntheticRequest[], ReturnType<typeof latencyStats>]> = [
    ['overall', ds.requests, latencyStats(overall.requests.hist)],
  ];
  for (const [journey, names] of Object.entries(ENDPOINTS)) {
    const j = agg.totals.journeys.get(journey)!;
    groups.push([journey, ds.requests.filter((r) => r.scenario === journey), latencyStats(j.sum().hist)]);
    for (const name of names) {
      groups.push([
        `${journey}/${name}`,
        ds.requests.filter((r) => r.scenario === journey && r.name === name),
        latencyStats(j.endpoints.get(name)!.hist),
      ]);
    }
  }
  for (const [label, reqs, stats] of groups) {
    const values = reqs.map((r) => us(r.ms));
    assert.equal(stats.count, values.length, label);
    for (const p of [50, 90, 95, 99] as const) assertWithinHdr(stats[`p${p}`], values, p, label);
    assert.equal(stats.max, Math.max(...values) / 1000, `${label}: max is exact`);
  }
});

test('timeline: each second holds exactly its samples, across runners and despite ±2 s disorder', async () => {
  const ds = makeDataset(40, 50, 3);
  const agg = await aggregateSamples(await writeRun(runnerFiles(ds, 3, 2, 4)), { latenessS: 5 });
  assert.equal(agg.input.lateSamples, 0);
  const overall = agg.timeline.overall;
  assert.deepEqual(
    overall.map((p) => p.t),
    Array.from({ length: 40 }, (_, s) => T0 + s),
  );
  for (const point of overall) {
    const reqs = ds.requests.filter((r) => r.t === point.t);
    assert.equal(point.requests, reqs.length);
    assert.equal(point.failed, reqs.filter((r) => r.failed).length);
    assert.equal(point.droppedIterations, ds.dropped.filter((d) => d.t === point.t).length);
    // Exactly what one HDR histogram over this second's values gives: nothing lost in merging.
    const h = newSecondHistogram();
    for (const r of reqs) h.recordValue(us(r.ms));
    assert.deepEqual(
      [point.p50, point.p95, point.p99],
      [50, 95, 99].map((p) => h.getValueAtPercentile(p) / 1000),
    );
  }
  const checkout = agg.timeline.journeys.get('checkout')!;
  for (const point of checkout)
    assert.equal(point.requests, ds.requests.filter((r) => r.t === point.t && r.scenario === 'checkout').length);
  assert.equal(overall[0].vus, 10 + 11 + 12); // one VU gauge per runner, summed
  assert.equal(overall.at(-1)!.vus, 33); // carried forward
});

test('a sample older than the closed seconds counts in the totals and as late, not in the timeline', async () => {
  const ds = makeDataset(30, 10, 5);
  const [file] = runnerFiles(ds, 1, 0, 6);
  const late: SyntheticRequest = { t: T0 + 2, scenario: 'browse', name: 'home', status: 200, ms: 7, failed: false };
  const agg = await aggregateSamples(await writeRun([file + requestLines(late).join('\n') + '\n']));
  assert.equal(agg.totals.overall().requests.requests, ds.requests.length + 1);
  assert.equal(agg.input.lateSamples, 2); // its http_reqs and http_req_duration (a passing http_req_failed adds nothing to the timeline)
  assert.equal(
    agg.timeline.overall.reduce((s, p) => s + p.requests, 0),
    ds.requests.length,
  );
});

test('memory stays flat: a long run keeps only a few seconds open, with one runner or several', async () => {
  const ds = makeDataset(3000, 1, 7); // 1 request/s: a 1 MiB chunk spans ~40 minutes
  for (const runners of [1, 3]) {
    const agg = await aggregateSamples(await writeRun(runnerFiles(ds, runners, 1, 8)), { latenessS: 5 });
    assert.equal(agg.timeline.overall.length, 3000);
    assert.equal(agg.input.lateSamples, 0);
    assert.ok(agg.maxOpenSeconds <= 12, `${runners} runner(s): ${agg.maxOpenSeconds} seconds open at once`);
  }
});

test('seconds without samples inside the run become zero points', async () => {
  const reqs: SyntheticRequest[] = [0, 1, 5].map((s) => ({
    t: T0 + s,
    scenario: 'browse',
    name: 'home',
    status: 200,
    ms: 1.5,
    failed: false,
  })); // 1500 µs: its own HDR bucket
  const text = [K6_HEADER, ...reqs.flatMap(requestLines)].join('\n') + '\n';
  const agg = await aggregateSamples(await writeRun([text]));
  assert.deepEqual(
    agg.timeline.overall.map((p) => [p.t - T0, p.requests, p.p50]),
    [
      [0, 1, 1.5],
      [1, 1, 1.5],
      [2, 0, null],
      [3, 0, null],
      [4, 0, null],
      [5, 1, 1.5],
    ],
  );
});
