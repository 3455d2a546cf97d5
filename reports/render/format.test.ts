import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmtBytes, fmtDuration, fmtInt, fmtMs, fmtPct, fmtRate } from './format.ts';

test('numbers read the same everywhere', () => {
  assert.equal(fmtInt(1234567), '1,234,567');
  assert.equal(fmtMs(0.4123), '0.412 ms');
  assert.equal(fmtMs(12.345), '12.3 ms');
  assert.equal(fmtMs(1234.4), '1,234 ms');
  assert.equal(fmtPct(0.0123), '1.23 %');
  assert.equal(fmtPct(0.00001), '< 0.01 %'); // not a misleading 0.00 %
  assert.equal(fmtPct(0), '0.00 %');
  assert.equal(fmtRate(207.5), '208/s');
  assert.equal(fmtRate(2.5), '2.50/s');
  assert.equal(fmtBytes(353480), '345.2 KiB');
  assert.equal(fmtDuration(3725), '1:02:05');
  assert.equal(fmtDuration(64), '1:04');
  for (const f of [fmtInt, fmtMs, fmtPct, fmtRate, fmtBytes, fmtDuration]) assert.equal(f(null), '–');
});
