import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addInto,
  decodeHistogram,
  encodeHistogram,
  latencyStats,
  msToMicros,
  newSecondHistogram,
  newTotalHistogram,
  percentilesMs,
} from './hdr-buckets.ts';

test('ms become whole µs; negative clamps to 0', () => {
  assert.equal(msToMicros(1.633364), 1633);
  assert.equal(msToMicros(0.0004), 0);
  assert.equal(msToMicros(-3), 0);
  assert.equal(msToMicros(60_000), 60_000_000);
});

test('an empty histogram has null stats, not zeros', () => {
  assert.deepEqual(latencyStats(newTotalHistogram()), {
    count: 0,
    mean: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null,
    max: null,
  });
});

test('encode/decode round-trips every bucket, and decoded histograms merge', () => {
  const h = newTotalHistogram();
  for (let i = 1; i <= 10_000; i++) h.recordValue(i * 37);
  const back = decodeHistogram(encodeHistogram(h));
  // The encoding keeps bucket counts; only max widens to its bucket's upper edge.
  assert.deepEqual({ ...latencyStats(back), max: null }, { ...latencyStats(h), max: null });
  assert.ok(latencyStats(back).max! >= 370 && latencyStats(back).max! <= 370 * 1.001);
  const big = newSecondHistogram();
  big.recordValue(120_000_000); // 2 minutes: outside what `back` has sized for
  addInto(back, big);
  addInto(back, newSecondHistogram()); // empty: no-op
  assert.equal(back.totalCount, 10_001);
  assert.equal(latencyStats(back).max, 120_000);
});

test('percentilesMs gives exactly what getValueAtPercentile gives, for any size', () => {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const n of [1, 2, 3, 10, 99, 100, 101, 1000, 20_000]) {
    for (const make of [newSecondHistogram, newTotalHistogram]) {
      const h = make();
      for (let i = 0; i < n; i++) h.recordValue(Math.floor(Math.exp(rand() * 16)));
      if (n === 3) h.recordValue(0);
      const ps = [0.1, 50, 90, 95, 99, 99.9, 100];
      assert.deepEqual(
        percentilesMs(h, ps),
        ps.map((p) => h.getValueAtPercentile(p) / 1000),
        `n=${n}`,
      );
    }
  }
  assert.deepEqual(percentilesMs(newSecondHistogram(), [50, 99]), [null, null]);
});
