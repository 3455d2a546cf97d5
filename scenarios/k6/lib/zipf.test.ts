import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickRank, rankOrder, zipfCdf } from './zipf.ts';

test('zipfCdf: increasing to 1; s = 0 is uniform; s = 1 gives the head most of the weight', () => {
  const cdf = zipfCdf(300, 1);
  assert.ok(cdf.every((c, i) => i === 0 || c > cdf[i - 1]!));
  assert.ok(Math.abs(cdf.at(-1)! - 1) < 1e-12);
  assert.ok(cdf[2]! > 0.25, `top 1 % of 300 products get ${cdf[2]}`);
  assert.ok(Math.abs(zipfCdf(4, 0)[1]! - 0.5) < 1e-12);
});

test('pickRank draws ranks with the Zipf frequencies', () => {
  const cdf = zipfCdf(50, 1);
  const counts = new Array(50).fill(0);
  let seed = 1;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 0; i < 20000; i++) counts[pickRank((r) => cdf[r]!, 50, rand())]++;
  assert.ok(Math.abs(counts[0] / 20000 - cdf[0]!) < 0.02);
  assert.ok(counts[0] > counts[1] && counts[1] > counts[9] && counts[9] > counts[49]);
  assert.equal(
    pickRank((r) => cdf[r]!, 50, 0),
    0,
  );
  assert.equal(
    pickRank((r) => cdf[r]!, 50, 0.999999999),
    49,
  );
});

test('rankOrder is a permutation that spreads neighbours apart', () => {
  for (const n of [1, 7, 12, 300])
    assert.deepEqual(
      [...rankOrder(n)].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
    );
  const order = rankOrder(300);
  assert.notEqual(Math.floor(order[0]! / 25), Math.floor(order[1]! / 25), 'top two in different 25-product categories');
});
