import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newSecondHistogram, percentilesMs } from './hdr-buckets.ts';
import { LatencyBuffer, LatencyBufferPool, sortedPercentilesMs } from './second-latencies.ts';

const PS = [0.1, 1, 50, 90, 95, 99, 99.9, 100];

test('percentiles of sorted raw values equal an HDR histogram of the same values, for any size', () => {
  let seed = 11;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const n of [1, 2, 3, 7, 10, 99, 100, 101, 999, 5000]) {
    const h = newSecondHistogram();
    const b = new LatencyBuffer();
    for (let i = 0; i < n; i++) {
      // 1 µs .. ~2 hours, and a few exact repeats: bucket edges and ties both get exercised.
      const v = i % 17 === 0 ? 2048 : Math.floor(Math.exp(rand() * 22.7));
      h.recordValue(v);
      b.push(v);
    }
    assert.deepEqual(sortedPercentilesMs(b.sorted(), PS), percentilesMs(h, PS), `n=${n}`);
  }
});

test('an empty list has no percentiles', () => {
  assert.deepEqual(sortedPercentilesMs(new Float64Array(0), [50, 99]), [null, null]);
});

test('a buffer grows past its first size and appends another one', () => {
  const a = new LatencyBuffer();
  const b = new LatencyBuffer();
  for (let i = 0; i < 300; i++) a.push(300 - i);
  for (let i = 0; i < 1000; i++) b.push(1000 + i);
  a.append(b);
  assert.equal(a.length, 1300);
  const s = a.sorted();
  assert.equal(s.length, 1300);
  assert.deepEqual([s[0], s[299], s[300], s[1299]], [1, 300, 1000, 1999]);
});

test('the pool hands back emptied buffers and drops oversized ones', () => {
  const pool = new LatencyBufferPool();
  const b = pool.take();
  b.push(5);
  pool.give(b);
  const again = pool.take();
  assert.equal(again, b);
  assert.equal(again.length, 0);
  for (let i = 0; i < 100_000; i++) again.push(i);
  pool.give(again);
  assert.ok(pool.take().values.length <= 1 << 16, 'a burst second must not keep its big array');
});
