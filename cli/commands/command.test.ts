import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration, parsePositive } from './command.ts';

test('durations in s, m, h and combinations', () => {
  assert.equal(parseDuration('90'), 90);
  assert.equal(parseDuration('90s'), 90);
  assert.equal(parseDuration('2m'), 120);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('1.5m'), 90);
  assert.throws(() => parseDuration('2 minutes'), /not a duration: use e.g. 90s/);
  assert.throws(() => parseDuration('0s'), /not a duration/);
});

test('positive numbers only', () => {
  assert.equal(parsePositive('--peak-rate')('2.5'), 2.5);
  assert.throws(() => parsePositive('--peak-rate')('-1'), /--peak-rate must be a positive number/);
  assert.throws(() => parsePositive('--peak-rate')('abc'), /--peak-rate/);
});
