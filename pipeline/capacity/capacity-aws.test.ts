// `rehearse capacity --target aws` down to the Auto Scaling calls, against moto's server: the
// store's app group is pinned at each count while the plateaus run and put back afterwards, on
// success, on a failure mid-search, on Ctrl-C, and loudly when the restore itself fails. The
// plateau runner is a stub that sends no load (load on this machine goes to loopback only): a
// store that holds 2 journeys/s per instance, and records how the group stood during each plateau.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { InputError, RunError } from '../../errors/errors.ts';
import { motoAppGroups, type MotoAppGroups } from '../../infra/aws/testing/moto-app-groups.ts';
import { startMoto, useMotoCredentials, type MotoServer } from '../../infra/aws/testing/moto-server.ts';
import { RestoreFailedError } from '../../infra/aws/lifecycle/pin-app-group.ts';
import { loadProfile, type LoadedProfile } from '../../scenarios/profile/load-profile.ts';
import { runCapacity, type CapacityOptions } from './capacity-run.ts';
import type { PlateauContext, PlateauResult } from './run-plateau.ts';

const region = 'us-east-1';
const SITE = 'https://shop.example.com';
let moto: MotoServer;
let groups: MotoAppGroups;
let dir: string;
let catalogue: string;
let profile: LoadedProfile;
let restoreEnv = () => {};

before(async () => {
  moto = await startMoto();
  restoreEnv = useMotoCredentials(); // moto does not check them; restored after
  groups = await motoAppGroups(moto.endpoint, region);
  dir = await mkdtemp(join(tmpdir(), 'rehearse-capacity-aws-'));
  catalogue = join(dir, 'catalogue.json');
  await writeFile(
    catalogue,
    JSON.stringify({
      version: 1,
      categories: [{ slug: 'toys', name: 'Toys', path: '/product-category/toys/' }],
      products: [{ id: 1, slug: 'kite', name: 'Kite', path: '/product/kite/', category: 'toys', price: '9.99' }],
    }),
  );
  profile = await loadProfile(new URL('../../scenarios/profiles/black-friday.json', import.meta.url).pathname);
});
after(async () => {
  restoreEnv();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A deployed stack's app group: min 1, max 6, desired 2, ScheduledActions suspended by its owner. */
const newGroup = () =>
  groups.create({ prefix: 'rehearse-cap', min: 1, max: 6, desired: 2, suspended: ['ScheduledActions'] });
const state = (name: string) => groups.state(name);

const ORIGINAL = { sizes: [1, 6, 2], inService: 2, suspended: ['ScheduledActions'] };
const PINNED_PROCESSES = ['AZRebalance', 'AlarmNotification', 'ScheduledActions'];

type Seen = { rate: number; baseUrl: string } & Awaited<ReturnType<typeof state>>;

/** The stub plateau: holds up to 2 journeys/s per InService instance; `hook` may throw or abort. */
function store(name: string, hook: (seen: Seen[]) => void = () => {}) {
  const seen: Seen[] = [];
  const runPlateau = async (ctx: PlateauContext, rate: number): Promise<PlateauResult> => {
    const s = await state(name);
    seen.push({ rate, baseUrl: ctx.baseUrl, ...s });
    hook(seen);
    const held = rate <= 2 * s.inService;
    return {
      rate,
      held,
      why: held ? [] : ['Journey browse p95 over its limit'],
      requestsPerS: 10 * Math.min(rate, 2 * s.inService),
      journeysPerS: Math.min(rate, 2 * s.inService),
      p95ByJourney: {},
      tiers: [],
      stoppedEarly: null,
      queueRising: null,
      startedAt: Date.now(),
      wallS: 0.01,
      runDir: ctx.dir,
    };
  };
  return { seen, runPlateau };
}

function options(name: string, over: Partial<CapacityOptions> = {}): CapacityOptions {
  return {
    id: `cap-${name}`,
    runsDir: join(dir, 'runs'),
    target: 'aws',
    catalogue,
    instances: [2, 1],
    profile,
    plateauS: 30,
    stepFactor: 1.25,
    tolerance: 0.1,
    startRate: 1,
    warmupS: 0,
    settleS: { held: 0, broke: 0 },
    aws: {
      readStore: async () => ({
        region,
        siteUrl: SITE,
        asgName: name,
        albArnSuffix: 'app/x/1',
        targetGroupArnSuffix: 'targetgroup/x/2',
      }),
      autoScaling: groups.client,
      // The balancer as the group: each InService instance a healthy target.
      targetHealth: async () => ({ healthy: (await state(name)).inService, unhealthy: 0 }),
      intervalMs: 20,
      timeoutMs: 20_000,
      telemetry: async () => {
        throw new Error('no telemetry in this test');
      },
    },
    log: () => {},
    ...over,
  };
}

test('each count is searched with the group pinned there and autoscaling held; afterwards it is as it was', async () => {
  const name = await newGroup();
  const { seen, runPlateau } = store(name);
  const res = await runCapacity(options(name, { runPlateau }));
  // Counts in ascending order; every plateau ran against the site URL from the stack's outputs.
  const at = (n: number) => seen.filter((s) => s.sizes[0] === n);
  assert.ok(at(1).length > 3 && at(2).length > 3, JSON.stringify(seen));
  assert.deepEqual(
    seen.map((s) => s.sizes[0]),
    [...at(1).map(() => 1), ...at(2).map(() => 2)],
  );
  for (const s of seen) {
    assert.equal(s.baseUrl, SITE);
    assert.deepEqual(s.sizes, [s.sizes[0], s.sizes[0], s.sizes[0]]);
    assert.equal(s.inService, s.sizes[0]);
    assert.deepEqual(s.suspended, PINNED_PROCESSES);
  }
  assert.deepEqual(await state(name), ORIGINAL);
  // The knees are the stub store's (2 journeys/s per instance), within the search's tolerance.
  const knees = res.counts.map((c) => c.kneeJourneysPerS!);
  assert.ok(knees[0]! > 2 / 1.1 && knees[0]! <= 2, `${knees}`);
  assert.ok(knees[1]! > 4 / 1.1 && knees[1]! <= 4, `${knees}`);
  const written = JSON.parse(readFileSync(join(res.dir, 'capacity.json'), 'utf8'));
  assert.deepEqual(
    written.counts.map((c: { instances: number }) => c.instances),
    [1, 2],
  );
});

test('a failure thrown mid-search ends the command with that error, and the group is restored', async () => {
  const name = await newGroup();
  const { seen, runPlateau } = store(name, (s) => {
    if (s.length === 3) throw new RunError('k6 crashed (test)');
  });
  await assert.rejects(runCapacity(options(name, { runPlateau })), /k6 crashed \(test\)/);
  assert.deepEqual(seen[2]!.sizes, [1, 1, 1]);
  assert.deepEqual(await state(name), ORIGINAL);
});

test('Ctrl-C during a plateau keeps the counts measured, and the group is restored', async () => {
  const name = await newGroup();
  const abort = new AbortController();
  const { seen, runPlateau } = store(name, (s) => {
    if (s.at(-1)!.sizes[0] === 2) abort.abort();
  });
  const res = await runCapacity(options(name, { runPlateau, signal: abort.signal }));
  assert.deepEqual(
    res.counts.map((c) => c.instances),
    [1],
  );
  assert.equal(seen.filter((s) => s.sizes[0] === 2).length, 1, 'no plateau started after the Ctrl-C');
  assert.deepEqual(await state(name), ORIGINAL);
});

test('Ctrl-C while the pin waits for healthy targets: nothing measured, nothing written, the group restored', async () => {
  const name = await newGroup();
  const abort = new AbortController();
  const { seen, runPlateau } = store(name);
  const o = options(name, { runPlateau, signal: abort.signal });
  o.aws!.targetHealth = async () => ({ healthy: 0, unhealthy: 1 });
  setTimeout(() => abort.abort(), 300);
  await assert.rejects(
    runCapacity(o),
    (e: Error) => e instanceof InputError && /interrupted before any knee/.test(e.message),
  );
  assert.equal(seen.length, 0);
  assert.deepEqual(await state(name), ORIGINAL);
  assert.ok(!existsSync(join(dir, 'runs', o.id)) && !existsSync(join(dir, 'runs', `${o.id}.partial`)));
});

test('a restore that fails: the report is still written, then the command fails saying how to restore by hand', async () => {
  const name = await newGroup();
  const { runPlateau } = store(name);
  const lines: string[] = [];
  const o = options(name, { runPlateau, instances: [1], log: (l) => lines.push(l) });
  // Auto Scaling refuses the restoring update (back to min 1, max 6).
  o.aws!.autoScaling = {
    send: (cmd: { constructor: { name: string }; input: { MaxSize?: number } }) =>
      cmd.constructor.name === 'UpdateAutoScalingGroupCommand' && cmd.input.MaxSize === 6
        ? Promise.reject(new Error('Rate exceeded (test)'))
        : groups.client.send(cmd as never),
  } as never;
  await assert.rejects(runCapacity(o), (e: Error) => {
    assert.ok(e instanceof RestoreFailedError);
    assert.match(e.message, /Rate exceeded \(test\)/);
    assert.ok(
      e.message.includes(
        `aws autoscaling update-auto-scaling-group --region us-east-1 --auto-scaling-group-name ${name} --min-size 1 --max-size 6 --desired-capacity 2`,
      ),
    );
    return true;
  });
  assert.ok(existsSync(join(dir, 'runs', o.id, 'capacity.html')), 'the measured knee is kept');
  assert.ok(lines.some((l) => l.includes('STILL PINNED')));
  assert.deepEqual((await state(name)).sizes, [1, 1, 1], 'moto kept the pin, as AWS would');
});

test('--target aws without --aws-config or --catalogue fails before anything is pinned or written', async () => {
  const base = options('unused');
  await assert.rejects(runCapacity({ ...base, aws: undefined }), /--target aws needs --aws-config FILE/);
  await assert.rejects(runCapacity({ ...base, catalogue: undefined }), /--target aws needs --catalogue FILE/);
  assert.ok(!existsSync(join(dir, 'runs', base.id)) && !existsSync(join(dir, 'runs', `${base.id}.partial`)));
});
