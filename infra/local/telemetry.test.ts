import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import type { ControllerEvent, Sample } from './autoscaler/records.ts';
import { buildTelemetry, recordedTimeScale } from './telemetry.ts';
import { telemetrySchema } from '../telemetry/telemetry-schema.ts';

const T = 1_795_000_000;
function sample(k: number, over: Partial<Sample> = {}): Sample {
  return {
    v: 1,
    t: T + k,
    desired: 2,
    pending: k < 2 ? 1 : 0,
    inService: k < 2 ? 1 : 2,
    instances: [
      { id: 'app-0#0', state: 'inService', share: 0.5, usageNs: k * 0.25e9, sessions: k * 10 },
      ...(k >= 1
        ? [{ id: 'app-1#2', state: k < 2 ? 'pending' : 'inService', share: 0.5, usageNs: (k - 1) * 0.5e9 }]
        : []),
    ],
    db: { cpuTicks: 100 + k * 5, connections: 3 },
    cache: { cpuTicks: 50 + k, connections: 2, evictions: 0 },
    balancer: { requests: k * 10, connections: k * 2, active: 4, bytes: k * 1000, http5xx: k >= 3 ? 1 : 0 },
    orders: 7 + k * 2,
    clockTicks: 100,
    ...over,
  };
}

const events: ControllerEvent[] = [
  { v: 1, kind: 'instance', instance: { id: 'app-0#0', type: 'local', launchedAt: T - 100 } },
  { v: 1, kind: 'instance', instance: { id: 'app-0#0', type: 'local', launchedAt: T - 100, inServiceAt: T - 90 } },
  { v: 1, kind: 'instance', instance: { id: 'app-1#2', type: 'local', launchedAt: T + 1, inServiceAt: T + 2 } },
  {
    v: 1,
    kind: 'instance',
    instance: { id: 'old#1', type: 'local', launchedAt: T - 500, inServiceAt: T - 400, terminatedAt: T - 300 },
  },
  {
    v: 1,
    kind: 'activity',
    activity: {
      id: 'a1',
      start: T + 1,
      cause: 'c',
      status: 'InProgress',
      description: 'Launching a new EC2 instance: app-1#2',
      delta: 1,
    },
  },
  {
    v: 1,
    kind: 'activity',
    activity: {
      id: 'a1',
      start: T + 1,
      end: T + 2,
      cause: 'c',
      status: 'Successful',
      description: 'Launching a new EC2 instance: app-1#2',
      delta: 1,
    },
  },
];

test('counters become per-second counts, CPU a percent of the instance share, latest events win', () => {
  const samples = [0, 1, 2, 3, 4].map((k) => sample(k));
  const t = buildTelemetry(samples, events, T, T + 4);
  assert.equal(t.source, 'local');
  assert.deepEqual(
    t.capacity.inService.map((p) => p.v),
    [1, 1, 2, 2, 2],
  );
  assert.deepEqual(
    t.balancer.requests,
    [0, 1, 2, 3].map((k) => ({ t: T + k, v: 10 })),
  );
  assert.deepEqual(
    t.balancer.http5xx!.map((p) => p.v),
    [0, 0, 1, 0],
  );
  assert.deepEqual(
    t.cpu.perInstance['app-0#0']!.map((p) => p.v),
    [50, 50, 50, 50],
  ); // 0.25 s per s of a 0.5 share
  assert.deepEqual(
    t.cpu.perInstance['app-1#2']!.map((p) => p.t),
    [T + 1, T + 2, T + 3],
  );
  assert.deepEqual(
    t.cpu.db.map((p) => p.v),
    [5, 5, 5, 5],
  ); // 5 ticks of 100 per second: 5 % of a core
  assert.deepEqual(
    t.instances.map((i) => i.id),
    ['app-0#0', 'app-1#2'],
  ); // old#1 ended before the window
  assert.equal(t.instances[0]!.inServiceAt, T - 90);
  assert.deepEqual(
    t.activities.map((a) => a.status),
    ['Successful'],
  );
  assert.deepEqual(t.orders, { persisted: 8, countedAt: T + 4 });
});

test('a window keeps only its samples; no orders table means no orders field; a counter reset counts from zero', () => {
  const samples = [0, 1, 2, 3, 4].map((k) => sample(k, { orders: undefined }));
  samples[3]!.balancer!.requests = 5; // HAProxy restarted
  const t = buildTelemetry(samples, [], T + 1, T + 3);
  assert.deepEqual(
    t.balancer.requests!.map((p) => p.v),
    [10, 5],
  );
  assert.equal(t.orders, undefined);
  assert.deepEqual(
    t.capacity.desired.map((p) => p.t),
    [T + 1, T + 2, T + 3],
  );
  assert.throws(() => buildTelemetry(samples, [], T + 3, T + 3), /must end after it starts/);
});

test("the controller's time scale goes into telemetry.json; real time (no autoscaling) leaves it out", () => {
  const dir = tempDir('rehearse-ts-');
  const file = path.join(dir, 'config.json');
  const samples = [0, 1, 2].map((k) => sample(k));
  const timeScale = { factor: 12, preset: 'compressed' };
  fs.writeFileSync(file, JSON.stringify({ v: 1, autoscaling: { periodS: 5, timeScale } }));
  const scaled = buildTelemetry(samples, [], T, T + 2, recordedTimeScale(file));
  assert.deepEqual(scaled.timeScale, { factor: 12, preset: 'compressed' });
  assert.deepEqual(telemetrySchema.parse(JSON.parse(JSON.stringify(scaled))).timeScale, scaled.timeScale);
  fs.writeFileSync(file, JSON.stringify({ v: 1, autoscaling: null }));
  assert.equal(buildTelemetry(samples, [], T, T + 2, recordedTimeScale(file)).timeScale, undefined);
  assert.equal(recordedTimeScale(path.join(dir, 'absent.json')), undefined);
  // Older telemetry.json files (no timeScale) still parse.
  const { timeScale: _, ...old } = scaled;
  assert.equal(telemetrySchema.parse(old).timeScale, undefined);
});
