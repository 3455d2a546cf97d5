import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildPlan } from '../../scenarios/plan/build-plan.ts';
import { writePlan } from '../../scenarios/plan/plan-file.ts';
import { loadProfile } from '../../scenarios/profile/load-profile.ts';
import { smallCatalogue } from '../../scenarios/test-support/fake-store.ts';
import { FLEET_BOOT_S } from '../../pipeline/run-plan-file.ts';
import { urlCloudWatch } from '../../pipeline/url-cloudwatch.ts';
import { parseRunners, runCommand } from './run.ts';

const BIN = fileURLToPath(new URL('../../bin/rehearse.mjs', import.meta.url));

test('--runners takes a whole number from 1 to 64 and defaults to 1', async () => {
  assert.equal(parseRunners('4'), 4);
  for (const bad of ['0', '2.5', 'four', '65'])
    assert.throws(() => parseRunners(bad), /--runners must be a whole number from 1 to 64/);
  const cmd = runCommand();
  assert.equal(cmd.options.find((o) => o.long === '--runners')?.defaultValue, 1);
  assert.equal(cmd.options.find((o) => o.long === '--fleet-boot-s')?.defaultValue, FLEET_BOOT_S);
  assert.ok(cmd.options.some((o) => o.long === '--aws-config'));
});

test('an AWS plan on several runners needs the fleet: without --aws-config, or with a config without one, exit 2 naming the fix', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-run-cli-'));
  try {
    const loaded = await loadProfile(new URL('../../scenarios/profiles/smoke.json', import.meta.url).pathname);
    const plan = buildPlan(loaded, {
      id: 'aws-plan',
      baseUrl: 'http://127.0.0.1:9',
      targetKind: 'aws',
      peakRate: 1,
      durationS: 10,
      catalogue: smallCatalogue(1, 1),
      createdAt: new Date().toISOString(),
    });
    const planPath = join(dir, 'plan.json');
    await writePlan(planPath, plan);
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [BIN, 'run', '--plan', planPath, '--runs-dir', join(dir, 'runs'), '--runners', '2', ...args],
        { encoding: 'utf8', timeout: 60_000 },
      );
    const bare = run();
    assert.equal(bare.status, 2, bare.stderr);
    assert.match(
      bare.stderr,
      /plan\.json: target\.kind is "aws" and --runners is 2: the runners run on the AWS runner fleet, which needs its config: pass --aws-config FILE/,
    );
    const config = join(dir, 'aws.json');
    await writeFile(
      config,
      JSON.stringify({ store: { rehearsalId: 'bf-2026', accountId: '123456789012', region: 'eu-west-1' } }),
    );
    const noFleet = run('--aws-config', config);
    assert.equal(noFleet.status, 2, noFleet.stderr);
    assert.match(
      noFleet.stderr,
      /aws\.json has no "fleet": .*run `rehearse stack up --target aws --aws-config .*aws\.json`/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the run command checks --cloudwatch's flags before any load", async () => {
  const base = { plan: 'p', runsDir: 'r', runners: 1, fleetBootS: 1, cloudwatch: true };
  await assert.rejects(
    urlCloudWatch('local', { ...base, asg: 'a', alb: 'b', region: 'us-east-1' }),
    /--cloudwatch is for a plan with target\.kind "url" \(this one is "local"\)/,
  );
  await assert.rejects(urlCloudWatch('url', { ...base, asg: 'a', region: 'us-east-1' }), /--cloudwatch needs --alb:/);
  const saved = process.env.AWS_REGION;
  delete process.env.AWS_REGION;
  try {
    await assert.rejects(
      urlCloudWatch('url', { ...base, asg: 'a', alb: 'b' }),
      /--cloudwatch needs the store's region: pass --region/,
    );
  } finally {
    if (saved !== undefined) process.env.AWS_REGION = saved;
  }
});
