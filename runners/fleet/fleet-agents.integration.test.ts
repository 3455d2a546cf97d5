// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The controller on the AWS runner fleet, against moto (S3 and Auto Scaling on 127.0.0.1, dummy
// credentials): runner groups in two regions resting at 0, the real agent bundle, and real
// agent processes started as the groups scale up (testing/fleet-emulator.ts plays the machines).
// The agents follow current-run.json, claim segments and stream chunks to moto's S3; their load
// goes only to a fake store on 127.0.0.1, a few seconds per run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeScheduledActionsCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_CREDENTIALS as credentials, startMoto, type MotoServer } from '../../infra/aws/testing/moto-server.ts';
import type { FleetEndpoint } from '../../infra/aws/fleet/fleet-outputs.ts';
import { VERIFY_BUNDLE } from '../../infra/aws/fleet/runner-user-data.ts';
import { readRecord } from '../../reports/record/read-record.ts';
import { fakeStoreAssets, smallCatalogue } from '../../scenarios/test-support/fake-store.ts';
import { useFakeStore } from '../../scenarios/test-support/use-fake-store.ts';
import { writeBrowsePlan } from '../distributed/browse-only.ts';
import { CurrentRunSchema, DoneSchema, KEYS } from '../distributed/run-manifest.ts';
import { sha256 } from '../agent/csv-chunks.ts';
import { runPlan } from '../run-plan.ts';
import { S3Store } from '../store/s3-store.ts';
import { packAgentBundle } from './agent-bundle.ts';
import { fleetRunOn } from './aws-fleet-run.ts';
import { startFleetEmulator, type EmulatorOptions, type FleetEmulator } from './testing/fleet-emulator.ts';

const REHEARSAL = 'it-fleet';
const BUCKET = 'rehearse-it-fleet-123456789012-runs';
const groups = [
  { region: 'us-east-1', asgName: 'rehearse-it-fleet-runners-us-east-1' },
  { region: 'eu-west-1', asgName: 'rehearse-it-fleet-runners-eu-west-1' },
];
const fleet: FleetEndpoint = {
  rehearsalId: REHEARSAL,
  storeUrl: `s3://${BUCKET}/runs/${REHEARSAL}`,
  bucketRegion: 'us-east-1',
  bundleKey: 'agent/rehearse.tgz',
  groups,
  configPath: 'aws.json',
};
const catalogue = smallCatalogue(4, 5);
const env = useFakeStore(catalogue, 'rehearse-fleet-');
/** Short budgets: agents boot in seconds here, not minutes. */
const timing = { bootMs: 10_000, graceMs: 4000, stopGraceMs: 8000 };

let moto: MotoServer;
let bundle: Buffer;
let bucket: S3Store;
const asg = new Map<string, AutoScalingClient>();
const autoScaling = (region: string) => asg.get(region)!;

before(async () => {
  moto = await startMoto();
  await new S3Client(moto.s3).send(new CreateBucketCommand({ Bucket: BUCKET }));
  bucket = S3Store.withConfig(`s3://${BUCKET}`, moto.s3);
  for (const g of groups) {
    const client = new AutoScalingClient({ region: g.region, endpoint: moto.endpoint, credentials });
    asg.set(g.region, client);
    await client.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'runner',
        ImageId: 'ami-12c6146b',
        InstanceType: 'c7g.xlarge',
      }),
    );
    // As the fleet stack synthesizes it: 0 at rest, up to runnersPerRegion (2).
    await client.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: g.asgName,
        LaunchConfigurationName: 'runner',
        MinSize: 0,
        MaxSize: 2,
        DesiredCapacity: 0,
        AvailabilityZones: [`${g.region}a`],
      }),
    );
  }
  bundle = (await packAgentBundle()).bytes;
});
after(async () => {
  for (const c of asg.values()) c.destroy();
  await moto?.stop();
});

async function planFile(id: string, durationS: number): Promise<string> {
  // Browse only (3 requests a journey); a 1 s graceful stop keeps the run's deadline short.
  const path = join(env.dir, `${id}.plan.json`);
  await writeBrowsePlan(path, {
    id,
    baseUrl: env.store.baseUrl,
    targetKind: 'aws',
    peakRate: 20,
    durationS,
    catalogue,
    assetsPerPage: fakeStoreAssets(), // what the classic fake store's pages load
    gracefulStop: '1s',
  });
  return path;
}

/** One run on the fleet, with the emulator playing its machines. */
async function fleetRun(
  id: string,
  o: { runners: number; durationS: number; signal?: AbortSignal; emulator?: Partial<EmulatorOptions> },
) {
  const logDir = join(env.dir, `${id}-machines`);
  await mkdir(logDir, { recursive: true });
  // The machines' /tmp: a SIGKILLed agent's work dir is removed with env.dir instead of staying in /tmp.
  const machineTmp = join(env.dir, `${id}-tmp`);
  await mkdir(machineTmp);
  const emulator: FleetEmulator = startFleetEmulator({
    autoScaling,
    groups,
    storeUrl: fleet.storeUrl,
    logDir,
    shutdownMs: 200,
    env: {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      TMPDIR: machineTmp,
    },
    ...o.emulator,
  });
  const logs: string[] = [];
  const progress: string[] = [];
  try {
    const run = fleetRunOn(fleet, {
      planId: id,
      runners: o.runners,
      log: (l) => logs.push(l),
      ...timing,
      bundle: async () => bundle,
      clientConfig: { endpoint: moto.endpoint, credentials, forcePathStyle: true },
    });
    const res = await runPlan({
      planPath: await planFile(id, o.durationS),
      runsDir: join(env.dir, 'runs'),
      runners: o.runners,
      signal: o.signal,
      log: (l) => logs.push(l),
      onProgress: (l) => progress.push(l),
      fleet: { ...run, chunkEveryMs: 500, progressEveryMs: 500 },
    });
    return { res, emulator, logs, progress, logDir };
  } finally {
    await emulator.stop();
  }
}

/** The user data's verify_bundle on a pointer and a bundle as a runner downloads them. */
async function verifyBundle(pointerBody: Buffer, bundleBody: Buffer) {
  const p = join(env.dir, 'check-pointer.json');
  const b = join(env.dir, 'check-bundle.tgz');
  await writeFile(p, pointerBody);
  await writeFile(b, bundleBody);
  return spawnSync('bash', ['-c', `${VERIFY_BUNDLE}\nverify_bundle "$1" "$2"`, 'bash', p, b], { encoding: 'utf8' });
}

const desiredSeen = (e: FleetEmulator) =>
  Object.fromEntries([...e.history].map(([region, h]) => [region, h.map((x) => x.desired)]));
const runKey = (id: string, key: string) => `runs/${REHEARSAL}/${id}/${key}`;

describe('distributed runs on the AWS runner fleet (moto)', { timeout: 240_000 }, () => {
  it('3 runners over 2 regions: bundle, pointer, scale up 2+1 and back to 0; the record counts what the agents report', async () => {
    const { res, emulator, progress, logs } = await fleetRun('fleet-ok', { runners: 3, durationS: 6 });
    assert.deepEqual(desiredSeen(emulator), { 'us-east-1': [0, 2, 0], 'eu-west-1': [0, 1, 0] }, logs.join('\n'));
    assert.deepEqual(res.partial, []);
    const stored = await bucket.get(`runs/${REHEARSAL}/agent/rehearse.tgz`);
    assert.ok(stored && stored.equals(bundle), 'the agent bundle is where the user data downloads it');
    const pointerBody = (await bucket.get(`runs/${REHEARSAL}/${KEYS.currentRun}`))!;
    const pointer = CurrentRunSchema.parse(JSON.parse(pointerBody.toString()));
    assert.deepEqual([pointer.runId, pointer.prefix], ['fleet-ok', 'fleet-ok/']);
    // The runner's own check (infra/aws/fleet/runner-user-data.ts) on what the controller left in S3.
    assert.equal(pointer.bundleSha256, sha256(bundle));
    assert.equal((await verifyBundle(pointerBody, stored!)).status, 0);
    const tampered = Buffer.from(stored!);
    tampered[100] ^= 1;
    assert.match(
      (await verifyBundle(pointerBody, tampered)).stdout,
      /^refusing the agent bundle: .* not the bundle the controller uploaded/,
    );

    const record = await readRecord(res.runDir);
    assert.deepEqual(record.run.runners.slice().sort(), emulator.machines.map((m) => m.runner).sort());
    let reported = 0;
    for (const m of emulator.machines) {
      assert.equal(await m.exited, 0, await readFile(join(env.dir, 'fleet-ok-machines', `${m.runner}.log`), 'utf8'));
      reported += DoneSchema.parse(
        JSON.parse((await bucket.get(runKey('fleet-ok', KEYS.done(m.runner))))!.toString()),
      ).requests;
    }
    assert.ok(record.totals.requests > 100, `${record.totals.requests} requests`);
    assert.equal(record.totals.requests, reported, 'the record holds exactly what the agents say they sent');
    assert.equal(record.k6Summary.length, 3);
    assert.ok(
      progress.some((l) => /^starting in \d+s {2}segments claimed [0-3]\/3$/.test(l)),
      progress.slice(0, 3).join('\n'),
    );
    for (const g of groups) {
      const actions = await autoScaling(g.region).send(
        new DescribeScheduledActionsCommand({ AutoScalingGroupName: g.asgName }),
      );
      assert.deepEqual(
        actions.ScheduledUpdateGroupActions ?? [],
        [],
        "the dead-man's switch is removed after a clean end",
      );
    }
  });

  it("a runner that boots after the start and one killed mid-run: a partial record naming both segments, the killed one's chunks kept", async () => {
    let killedAt = 0;
    const { res, emulator } = await fleetRun('fleet-faults', {
      runners: 4,
      durationS: 8,
      emulator: {
        // The 4th machine boots 2 s after the start; the 1st dies 3 s into the load, as a reclaimed spot instance does.
        bootDelayMs: (n) => (n === 3 ? timing.bootMs + 2000 : 0),
        onBoot: (m) => {
          if (m.n === 0)
            setTimeout(() => {
              killedAt = Date.now();
              process.kill(-m.pid!, 'SIGKILL');
            }, timing.bootMs + 3000);
        },
      },
    });
    assert.ok(killedAt > 0);
    assert.deepEqual(desiredSeen(emulator), { 'us-east-1': [0, 2, 0], 'eu-west-1': [0, 2, 0] });
    const [killed, , , late] = emulator.machines;
    assert.equal(await late!.exited, 2, 'the late agent refuses cleanly');
    assert.match(
      await readFile(join(env.dir, 'fleet-faults-machines', `${late!.runner}.log`), 'utf8'),
      /start time .* passed \d+\.\d s ago; no segment claimed/,
    );
    const record = await readRecord(res.runDir);
    const partial = record.run.partial!;
    assert.equal(partial.length, 2, JSON.stringify(partial));
    const lost = partial.find((p) => p.runner === killed!.runner)!;
    assert.match(
      lost.reason,
      /^runner sent no done\.json by .* \(start \+ 8 s of load \+ 1 s k6 graceful stop \+ 4 s grace\): its machine was lost .*; its chunks up to then are kept: ran \d+ requests/,
    );
    const unclaimed = partial.find((p) => p.runner === '(none)')!;
    assert.match(
      unclaimed.reason,
      /^no runner claimed this segment, so its share never ran; 3 of 4 segments were claimed before the start: a runner did not boot within the boot budget \(10 s, --fleet-boot-s\)/,
    );
    assert.notEqual(lost.segment, unclaimed.segment);
    assert.ok(
      record.input.files.filter((f) => f.runner === killed!.runner).reduce((a, f) => a + f.samples, 0) > 0,
      "the killed runner's chunks are in the record",
    );
    assert.equal(res.k6ExitCode, 1);
  });

  it('refused before anything is uploaded or scaled: more runners than the groups hold, a busy group, a missing group', async () => {
    const quiet = () => {};
    const prepare = (runners: number, f = fleet) =>
      fleetRunOn(f, {
        planId: 'refused',
        runners,
        log: quiet,
        bundle: async () => {
          throw new Error('no bundle may be packed');
        },
        clientConfig: { endpoint: moto.endpoint, credentials, forcePathStyle: true },
      }).launcher.prepare();
    const tooMany = fleetRunOn(fleet, {
      planId: 'refused',
      runners: 5,
      log: quiet,
      bundle: async () => bundle,
      clientConfig: { endpoint: moto.endpoint, credentials, forcePathStyle: true },
    });
    await assert.rejects(
      runPlan({
        planPath: await planFile('refused', 6),
        runsDir: join(env.dir, 'runs'),
        runners: 5,
        log: quiet,
        fleet: tooMany,
      }),
      /--runners 5, but the runner fleet holds 4 \(us-east-1 2, eu-west-1 2: .*raise "fleet\.runnersPerRegion".* in aws\.json/,
    );
    await assert.rejects(stat(join(env.dir, 'runs', 'refused.partial')), /ENOENT/, 'no run directory is left behind');
    await autoScaling('eu-west-1').send(
      new SetDesiredCapacityCommand({ AutoScalingGroupName: groups[1]!.asgName, DesiredCapacity: 1 }),
    );
    try {
      await assert.rejects(
        prepare(2),
        /runner group rehearse-it-fleet-runners-eu-west-1 in eu-west-1 already runs 1 runner\(s\): .*aws autoscaling set-desired-capacity --region eu-west-1 --auto-scaling-group-name rehearse-it-fleet-runners-eu-west-1 --desired-capacity 0/,
      );
    } finally {
      await autoScaling('eu-west-1').send(
        new SetDesiredCapacityCommand({ AutoScalingGroupName: groups[1]!.asgName, DesiredCapacity: 0 }),
      );
    }
    const gone = { ...fleet, groups: [groups[0]!, { region: 'eu-west-1', asgName: 'destroyed' }] };
    await assert.rejects(
      prepare(2, gone),
      /runner group destroyed is not in eu-west-1: .*run `rehearse stack up --target aws --aws-config aws\.json`/,
    );
    assert.equal(await bucket.get(runKey('refused', KEYS.manifest)), null);
  });

  it('Ctrl-C: the fleet is asked to stop and scaled to 0 at once; every chunk uploaded is kept; the record is interrupted', async () => {
    const abort = new AbortController();
    let abortedAt = 0;
    const { res, emulator, logDir } = await fleetRun('fleet-abort', {
      runners: 2,
      durationS: 30,
      signal: abort.signal,
      // Machines shut down 5 s after the scale-in: the agents stop on stop.json before that.
      emulator: {
        shutdownMs: 5000,
        onBoot: (m) => {
          if (m.n === 1)
            setTimeout(() => {
              abortedAt = Date.now();
              abort.abort();
            }, timing.bootMs + 3000);
        },
      },
    });
    assert.equal(res.interrupted, true);
    assert.deepEqual(res.partial, [], 'stopped on purpose is interrupted, not failed');
    assert.deepEqual(desiredSeen(emulator), { 'us-east-1': [0, 1, 0], 'eu-west-1': [0, 1, 0] });
    for (const [region, h] of emulator.history)
      assert.ok(h.at(-1)!.at - abortedAt < 2000, `${region} back to 0 ${h.at(-1)!.at - abortedAt} ms after Ctrl-C`);
    assert.ok(await bucket.get(runKey('fleet-abort', KEYS.stop)), 'stop.json written');
    for (const m of emulator.machines) {
      assert.match(
        await readFile(join(logDir, `${m.runner}.log`), 'utf8'),
        /the controller asked every runner to stop \(stop\.json\)/,
      );
      assert.equal(await m.exited, 130);
    }
    const record = await readRecord(res.runDir);
    assert.equal(record.run.interrupted, true);
    const uploaded = (await bucket.list(runKey('fleet-abort', 'runners/'))).filter((k) =>
      k.includes('/chunks/'),
    ).length;
    assert.equal(record.input.files.length, uploaded, 'every chunk in the store is in the record');
    assert.ok(
      record.totals.requests > 20 && record.totals.requests < 600,
      `${record.totals.requests} requests of a 30 s plan stopped after ~3 s`,
    );
    assert.equal(record.k6Summary.length, 2, 'each k6 stopped cleanly and its summary arrived');
  });
});
