import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { tempDir } from '../../test-support/temp-dir.ts';
import { aggregateSamples } from './aggregate-samples.ts';
import { latencyStats, type Histogram } from './hdr-buckets.ts';
import { mergeTotals, type EndpointTotals, type RunTotals } from './run-totals.ts';
import { findSampleFiles } from './sample-files.ts';

// Real k6 output: one plan split over 4 runners with --execution-segment (see make-fixtures.ts).
const FIXTURE = fileURLToPath(new URL('../fixtures/run-4runners/', import.meta.url));

function percentiles(h: Histogram): number[] {
  const out: number[] = [];
  for (let p = 0; p <= 100; p += 0.5) out.push(h.getValueAtPercentile(p));
  return out;
}

function endpointView(e: EndpointTotals) {
  return {
    requests: e.requests,
    failed: e.failed,
    errorsByStatus: Object.fromEntries([...e.errorsByStatus].sort()),
    errorsByCode: Object.fromEntries([...e.errorsByCode].sort()),
    latency: latencyStats(e.hist),
    percentiles: percentiles(e.hist),
  };
}

/** Everything observable about totals, in a comparable shape. */
function view(t: RunTotals) {
  return [...t.journeys.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((j) => ({
      name: j.name,
      iterations: j.iterations,
      droppedIterations: j.droppedIterations,
      bytes: [j.bytesReceived, j.bytesSent],
      checks: Object.fromEntries([...j.checks].sort().map(([k, c]) => [k, { ...c }])),
      sum: endpointView(j.sum()),
      endpoints: [...j.endpoints.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((e) => ({ name: e.name, ...endpointView(e) })),
    }));
}

test('4 runners aggregated separately and merged equal their concatenation aggregated at once', async () => {
  const runners = await findSampleFiles(FIXTURE);
  assert.equal(runners.length, 4);

  const separate = await Promise.all(runners.map((r) => aggregateSamples([r])));
  const merged = mergeTotals(separate.map((a) => a.totals));

  // One file holding all four runners' lines, one after the other (gzip ones unpacked).
  const dir = tempDir('rehearse-merge-');
  const texts = await Promise.all(
    runners.map(async (r) => {
      const raw = await readFile(r.files[0]);
      return (r.files[0].endsWith('.gz') ? gunzipSync(raw) : raw).toString();
    }),
  );
  const concatenated = join(dir, 'all.csv');
  await writeFile(concatenated, texts.join(''));
  const once = await aggregateSamples([{ runner: 'all', files: [concatenated] }]);

  assert.deepEqual(view(merged), view(once.totals));
  const m = merged.overall();
  const o = once.totals.overall();
  assert.deepEqual(endpointView(m.requests), endpointView(o.requests));
  assert.ok(m.requests.requests > 0, 'the fixture has requests');
  assert.equal(
    m.requests.requests,
    separate.reduce((s, a) => s + a.totals.overall().requests.requests, 0),
  );
  assert.equal(
    once.input.samples,
    separate.reduce((s, a) => s + a.input.samples, 0),
  );
});

test('merging leaves its inputs unchanged', async () => {
  const runners = await findSampleFiles(FIXTURE);
  const a = await aggregateSamples([runners[0]]);
  const before = view(a.totals);
  mergeTotals([a.totals, a.totals]);
  assert.deepEqual(view(a.totals), before);
});
