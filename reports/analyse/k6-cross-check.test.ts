import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { aggregateRun } from '../aggregate/aggregate-run.ts';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { runLocalK6, startStaticServer } from '../fixtures/local-k6.ts';
import { crossCheck } from './k6-cross-check.ts';

test('live: k6 runs ~3 s against a local server; the record agrees with k6 on requests and p95', async () => {
  const runDir = tempDir('rehearse-k6-');
  const server = await startStaticServer();
  try {
    await runLocalK6({
      baseUrl: server.baseUrl,
      runnerDir: join(runDir, 'raw', 'local-0'),
      rate: 100,
      duration: '3s',
      timeoutMs: 30_000,
    });
  } finally {
    await server.stop();
  }
  const record = await aggregateRun(runDir);
  const [k6] = record.k6Summary;
  assert.ok(k6.requests! > 300, `k6 made ${k6.requests} requests`);
  assert.equal(record.totals.requests, k6.requests);
  assert.equal(record.totals.failed, k6.failed);
  assert.equal(record.totals.iterations, k6.iterations);
  assert.equal(record.totals.checks.failed, k6.checksFailed);
  assert.equal(record.totals.latency.max, Math.round(k6.max! * 1000) / 1000);

  // k6 interpolates between the two samples around rank p·(n-1); HDR reports the upper edge of
  // the 3-digit bucket holding the nearest-rank sample (rank ⌈p·n⌉). Both are checked against the
  // raw sample values, and ours may differ from k6's by 1 % or one bucket plus the gap between
  // those neighbouring samples (which can exceed 1 % with a few hundred samples).
  const text = await readFile(join(runDir, 'raw', 'local-0', 'samples.csv'), 'utf8');
  const values = text
    .split('\n')
    .filter((l) => l.startsWith('http_req_duration,'))
    .map((l) => Math.round(Number(l.split(',', 3)[2]) * 1000))
    .sort((a, b) => a - b);
  assert.equal(values.length, k6.requests);
  for (const [p, ours, theirs] of [
    [95, record.totals.latency.p95!, k6.p95!],
    [90, record.totals.latency.p90!, k6.p90!],
    [99, record.totals.latency.p99!, k6.p99!],
  ]) {
    const nearest = values[Math.ceil((p / 100) * values.length) - 1];
    const idx = (p / 100) * (values.length - 1);
    const [lo, hi] = [values[Math.floor(idx)], values[Math.ceil(idx)]];
    assert.ok(
      ours * 1000 >= nearest && ours * 1000 <= nearest * 1.001 + 1,
      `p${p}: ours ${ours} ms, nearest-rank sample ${nearest} µs`,
    );
    assert.ok(
      theirs * 1000 >= lo - 1 && theirs * 1000 <= hi + 1,
      `p${p}: k6 ${theirs} ms outside its samples ${lo}-${hi} µs`,
    );
    const gap = Math.max(Math.abs(nearest - lo), Math.abs(hi - nearest)) / 1000;
    const tolerance = Math.max(0.01 * theirs, theirs / 1000 + 0.001) + gap;
    assert.ok(
      Math.abs(ours - theirs) <= tolerance,
      `p${p}: ours ${ours} ms vs k6 ${theirs} ms (tolerance ${tolerance})`,
    );
  }
  const x = crossCheck(record);
  assert.equal(x.requestsMatch, true);
  assert.ok(x.p95Deviation !== null);
});

test('cross-check flags a count mismatch and skips p95 with several runners', async () => {
  const record = await fixtureRecord();
  assert.deepEqual(
    { ...crossCheck(record), recordP95: null },
    {
      runnersWithSummary: 4,
      runners: 4,
      k6Requests: record.totals.requests,
      recordRequests: record.totals.requests,
      requestsMatch: true,
      k6P95: null,
      recordP95: null,
      p95Deviation: null,
    },
  );
  record.k6Summary[2].requests! -= 1;
  assert.equal(crossCheck(record).requestsMatch, false);
  record.k6Summary.pop();
  assert.equal(crossCheck(record).requestsMatch, null, 'a missing summary makes the check impossible, not failed');
});
