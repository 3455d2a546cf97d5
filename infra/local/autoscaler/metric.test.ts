import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricByInstance } from './metric.ts';
import type { Sample } from './records.ts';

const base = { v: 1 as const, desired: 2, pending: 0, inService: 2, db: {}, cache: {} };
const a: Sample = {
  ...base,
  t: 100,
  instances: [
    { id: 'x', state: 'inService', share: 0.4, usageNs: 1e9, sessions: 10 },
    { id: 'gone', state: 'inService', share: 0.4, usageNs: 0 },
  ],
};
const b: Sample = {
  ...base,
  t: 102,
  instances: [
    { id: 'x', state: 'inService', share: 0.4, usageNs: 1.4e9, sessions: 30 },
    { id: 'new', state: 'pending', share: 0.4, usageNs: 5e8 },
  ],
};

test('CPU is % of the instance share, requests per target per second; only instances in both samples', () => {
  assert.deepEqual(metricByInstance('cpu', a, b), { x: 50 }); // 0.4 s of CPU in 2 s of a 0.4 share
  assert.deepEqual(metricByInstance('requestsPerTarget', a, b), { x: 10 });
  const reset: Sample = { ...b, instances: [{ id: 'x', state: 'inService', share: 0.4, usageNs: 1e8, sessions: 1 }] };
  assert.deepEqual(metricByInstance('cpu', a, reset), {}, 'a recreated cgroup gives no value, not a negative one');
});
