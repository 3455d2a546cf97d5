import assert from 'node:assert/strict';
import { test } from 'node:test';
import { k6DurationS, plannedArrivalRate } from './planned-rate.ts';

const sc = (startRate: number, timeUnit: string, stages: Array<[string, number]>) => ({
  startRate,
  timeUnit,
  stages: stages.map(([duration, target]) => ({ duration, target })),
});

test('k6 durations and the staged rate, interpolated and summed over journeys', () => {
  assert.equal(k6DurationS('1m30s'), 90);
  assert.equal(k6DurationS('250ms'), 0.25);
  const plan = {
    k6: {
      scenarios: {
        a: sc(0, '1s', [
          ['10s', 10],
          ['10s', 10],
        ]),
        b: sc(20, '10s', [['20s', 0]]),
      },
    },
  } as any;
  assert.equal(plannedArrivalRate(plan, 5), 5 + 1.5);
  assert.equal(plannedArrivalRate(plan, 15), 10 + 0.5);
  assert.equal(plannedArrivalRate(plan, 25), 0);
});
