import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatClock, parseAtS, parseDurationS } from './profile-time.ts';

describe('profile time expressions', () => {
  it('parses durations', () => {
    assert.equal(parseDurationS('24h'), 86400);
    assert.equal(parseDurationS('90m'), 5400);
    assert.equal(parseDurationS('1h30m'), 5400);
    assert.equal(parseDurationS('1.5h'), 5400);
    assert.equal(parseDurationS('45s'), 45);
    assert.equal(parseDurationS('0'), 0);
    for (const bad of ['', '24', 'h', '1d', '30m1h', ' 5m', '-5m']) assert.equal(parseDurationS(bad), undefined, bad);
  });
  it('parses clock offsets and duration offsets', () => {
    assert.equal(parseAtS('00:00'), 0);
    assert.equal(parseAtS('06:30'), 23400);
    assert.equal(parseAtS('24:00'), 86400);
    assert.equal(parseAtS('36:15'), 130500);
    assert.equal(parseAtS('90m'), 5400);
    for (const bad of ['6:60', '06:5', 'noon', '06:30:00']) assert.equal(parseAtS(bad), undefined, bad);
  });
  it('formats seconds as a clock for messages', () => {
    assert.equal(formatClock(86400), '24:00');
    assert.equal(formatClock(3645), '01:00:45');
  });
});
