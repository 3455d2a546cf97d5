// test lane: alone (measures CPU time or throughput under a cap; a neighbour would move it)
// The autoscaler for real, with compressed AWS settings (2 s periods, 3 s boot): a rising load
// scales out, a quiet spell scales in a step per period, a killed instance is drained and replaced; telemetry covers it all,
// and down() leaves no process and no cgroup. ~90 s.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { detectCgroups, listAppCgroups } from '../cgroup.ts';
import { serverStats } from '../haproxy.ts';
import { resolveLayout } from '../layout.ts';
import { isAlive, listeningTcp, sessionMembers } from '../proc.ts';
import { httpGet } from '../readiness.ts';
import { down, killInstance, status, telemetry, up } from '../replica.ts';
import { freeReplicaPort } from '../test-support/free-port.ts';
import { CART_COOKIE, openLoad } from '../test-support/load.ts';
import type { Telemetry } from '../../telemetry/telemetry-schema.ts';

const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-as-'));
fs.chmodSync(parent, 0o755);
const stateDir = path.join(parent, 's');
const port = await freeReplicaPort(6);
const autoscaling = {
  metric: 'cpu' as const,
  target: 40,
  min: 1,
  max: 3,
  periodS: 2,
  highPeriods: 2,
  lowPeriods: 3,
  bootS: 3,
  warmupS: 0,
  drainTimeoutS: 5,
};
// The light shop: the load below was sized for its cost per request.
const opts = {
  stateDir,
  port,
  instances: 1,
  size: { cpu: 0.25, fpmChildren: 2 },
  autoscaling,
  shopCost: 'light' as const,
  log: (l: string) => console.log(`# ${l}`),
};
const layout = resolveLayout(opts);
const seenPids = new Set<number>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowS = () => Date.now() / 1000;
let t0 = 0;

async function recordPids(): Promise<void> {
  for (const c of (await status(opts)).components)
    if (c.pid) for (const p of [c.pid, ...sessionMembers(c.pid)]) seenPids.add(p);
}

async function waitUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

const tel = (): Promise<Telemetry> => telemetry(t0, nowS(), opts);
const lastOf = (s: Array<{ v: number }>) => s[s.length - 1]?.v;

before(async () => {
  t0 = nowS();
  await up(opts);
  await recordPids();
});

after(async () => {
  await down(opts);
  fs.rmSync(parent, { recursive: true, force: true });
});

test('a rising load scales out within boot + one period, and a quiet spell scales back in, step by step', async () => {
  const catalogue = JSON.parse(fs.readFileSync(layout.catalogue, 'utf8')) as { products: Array<{ path: string }> };
  const paths = ['/', ...catalogue.products.slice(0, 20).map((p) => p.path)];
  // 1 → 12 pages/s over 12 s, then 12/s: more than one 0.25-core instance renders. The cart
  // cookie makes the page cache step aside, so every page costs PHP time.
  const load = await openLoad({
    baseUrl: `http://127.0.0.1:${port}`,
    paths,
    headers: CART_COOKIE,
    rate: (s) => Math.min(12, 1 + s * 0.9),
    durationS: 25,
    maxRequests: 400,
    maxInFlight: 32,
  });
  console.log(`# load: ${JSON.stringify(load)}`);
  await recordPids();
  await sleep(1500); // the sampler's next second covers the last responses
  const during = await tel();
  const outs = during.activities.filter((a) => a.delta === 1 && /AlarmHigh/.test(a.cause));
  assert.ok(outs.length >= 1, `a scale-out happened: ${JSON.stringify(during.activities, null, 1)}`);
  for (const a of outs) {
    assert.match(
      a.cause,
      /^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ a monitor alarm TargetTracking-rehearse-local-AlarmHigh-rehearse-target-tracking in state ALARM triggered policy rehearse-target-tracking changing the desired capacity from \d to \d\. {2}At .* an instance was started in response to a difference between desired and actual capacity/,
    );
    assert.match(a.description, /^Launching a new EC2 instance: app-\d#\d+/);
  }
  const first = outs[0]!;
  assert.equal(first.status, 'Successful', first.description);
  const firstId = /: (\S+)$/.exec(first.description)![1];
  const inst = during.instances.find((i) => i.id === firstId)!;
  const lag = inst.inServiceAt! - first.start;
  console.log(
    `# first new instance in service ${lag.toFixed(2)} s after the alarm (boot ${autoscaling.bootS} s + period ${autoscaling.periodS} s)`,
  );
  assert.ok(
    lag >= autoscaling.bootS - 0.1 && lag <= autoscaling.bootS + autoscaling.periodS,
    `in service after ${lag} s`,
  );
  assert.ok(Math.max(...during.capacity.inService.map((p) => p.v)) >= 2);
  assert.ok(Object.keys(during.cpu.perInstance).length >= 2, 'CPU per instance from cgroup accounting');
  assert.ok(
    Math.max(...during.cpu.perInstance['app-0#0']!.map((p) => p.v)) > autoscaling.target,
    'the first instance ran above target',
  );
  assert.ok(during.balancer.requests!.reduce((s, p) => s + p.v, 0) >= load.ok);

  // The load stopped: after lowPeriods quiet periods AlarmLow is in ALARM, and is re-invoked every
  // period while it stays there: one instance goes per period.
  const quiet = await waitUntil('scale-in back to min', 60_000, async () => {
    const t = await tel();
    const ins = t.activities.filter((a) => a.delta === -1 && /AlarmLow/.test(a.cause));
    return lastOf(t.capacity.desired) === autoscaling.min &&
      lastOf(t.capacity.inService) === autoscaling.min &&
      ins.every((a) => a.status === 'Successful')
      ? t
      : undefined;
  });
  // Scale-in steps only: a health-check replacement under the burst (a saturated 0.25-core
  // instance can miss its checks) is a -1 too, with its own cause.
  const ins = quiet.activities.filter((a) => a.delta === -1 && /AlarmLow/.test(a.cause));
  assert.ok(ins.length >= 1);
  for (const a of ins) {
    assert.match(
      a.cause,
      /AlarmLow-rehearse-target-tracking in state ALARM triggered policy .* changing the desired capacity from (\d) to (\d)\. .*shrinking the capacity.*was selected for termination\./,
    );
    const [, fromN, toN] = /from (\d) to (\d)/.exec(a.cause)!;
    assert.equal(Number(fromN) - Number(toN), 1, 'one instance per scale-in step');
    assert.match(a.description, /^Terminating EC2 instance: .* \(drained in /);
  }
  // Steps are a period apart, not lowPeriods periods (the alarm is not re-armed after a step).
  for (let k = 1; k < ins.length; k++) {
    const gap = ins[k]!.start - ins[k - 1]!.start;
    assert.ok(
      gap >= autoscaling.periodS - 0.5 && gap < autoscaling.lowPeriods * autoscaling.periodS,
      `steps ${gap.toFixed(1)} s apart`,
    );
  }
  for (const i of quiet.instances.filter((x) => x.terminatedAt)) assert.ok(i.inServiceAt! < i.terminatedAt!);
  assert.deepEqual(
    (await serverStats(layout)).map((s) => s.name).length,
    1,
    'terminated servers are deleted from HAProxy',
  );
});

test('a killed instance leaves the balancer and is replaced', async () => {
  await recordPids();
  const killed = await killInstance(opts);
  const tKill = nowS();
  await waitUntil('HAProxy marks it DOWN', 10_000, async () => {
    const st = (await serverStats(layout)).find((s) => s.name === killed);
    return st === undefined || /DOWN|MAINT/.test(st.status) ? true : undefined;
  });
  const t = await waitUntil('a replacement in service', 30_000, async () => {
    const x = await tel();
    const launch = x.activities.find((a) => a.delta === 1 && a.start >= tKill && a.status === 'Successful');
    return launch && lastOf(x.capacity.inService) === 1 ? x : undefined;
  });
  const out = t.activities.find((a) => a.delta === -1 && a.start >= tKill)!;
  assert.match(out.cause, /taken out of service in response to an ELB system health check failure/);
  assert.match(out.description, new RegExp(`^Terminating EC2 instance: ${killed}#`));
  assert.match(out.description, / \(drained in [\d.]+ s\)$/, 'drained first, as AWS does with a deregistration delay');
  const launch = t.activities.find((a) => a.delta === 1 && a.start >= tKill)!;
  assert.match(launch.cause, /unhealthy instance \(failed ELB health check\) needing to be replaced/);
  await recordPids();
  // The balancer sends only to live instances now.
  for (let k = 0; k < 4; k++) assert.equal((await httpGet(`http://127.0.0.1:${port}/rehearse-health.php`)).status, 200);
});

test('listeners only on 127.0.0.1; down() leaves no process and no cgroup', async () => {
  await recordPids();
  const listeners = listeningTcp([...seenPids].filter(isAlive));
  assert.ok(listeners.length > 0);
  for (const l of listeners) assert.equal(l.address, '127.0.0.1', `pid ${l.pid} listens on ${l.address}:${l.port}`);
  assert.ok(listAppCgroups(detectCgroups(), stateDir).length >= 1);
  await down(opts);
  for (const p of seenPids) assert.ok(!isAlive(p), `pid ${p} still alive after down`);
  assert.deepEqual(listAppCgroups(detectCgroups(), stateDir), []);
  assert.equal((await status(opts)).running, false);
});
