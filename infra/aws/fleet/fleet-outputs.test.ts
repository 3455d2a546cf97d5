// The fleet endpoint the controller uses, from the fleet stacks' outputs; and the input errors
// that say what to deploy before any AWS call.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseFleetConfig } from '../config/fleet-config.ts';
import { fleetFromOutputs, readFleetEndpoint, type StackOutputs } from './fleet-outputs.ts';
import { saveEnv } from '../../../test-support/env.ts';

const fleet = parseFleetConfig({
  rehearsalId: 'bf-2026',
  accountId: '123456789012',
  regions: ['eu-west-1', 'us-east-1'],
  runnersPerRegion: 2,
});
const url = 's3://rehearse-bf-2026-123456789012-runs/runs/bf-2026';
const outputs = (region: string, extra: StackOutputs = {}): StackOutputs => ({
  runs_bucket: { value: 'rehearse-bf-2026-123456789012-runs' },
  store_url: { value: url },
  runner_asg_name: { value: `rehearse-bf-2026-runners-${region}` },
  ...extra,
});
const dir = mkdtempSync(join(tmpdir(), 'rehearse-fleet-outputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('outputs → the rehearsal store, the bucket region, the bundle key under it, a group per region', () => {
  const byRegion = new Map([
    ['eu-west-1', outputs('eu-west-1')],
    ['us-east-1', outputs('us-east-1')],
  ]);
  assert.deepEqual(fleetFromOutputs(fleet, byRegion, 'aws.json'), {
    rehearsalId: 'bf-2026',
    storeUrl: url,
    bucketRegion: 'eu-west-1',
    bundleKey: 'agent/rehearse.tgz',
    configPath: 'aws.json',
    groups: [
      { region: 'eu-west-1', asgName: 'rehearse-bf-2026-runners-eu-west-1' },
      { region: 'us-east-1', asgName: 'rehearse-bf-2026-runners-us-east-1' },
    ],
  });
});

test('missing or disagreeing outputs name the stack and what to run', () => {
  const noAsg = new Map([
    ['eu-west-1', outputs('eu-west-1')],
    ['us-east-1', outputs('us-east-1', { runner_asg_name: { value: '' } })],
  ]);
  assert.throws(
    () => fleetFromOutputs(fleet, noAsg, 'aws.json'),
    /runner fleet stack rehearse-bf-2026-fleet-us-east-1 has no "runner_asg_name" output: .*run `rehearse stack up --target aws` again/,
  );
  const elsewhere = new Map([
    ['eu-west-1', outputs('eu-west-1')],
    ['us-east-1', outputs('us-east-1', { store_url: { value: 's3://other/runs/bf-2026' } })],
  ]);
  assert.throws(
    () => fleetFromOutputs(fleet, elsewhere, 'aws.json'),
    /points its runners at s3:\/\/other\/runs\/bf-2026, not s3:\/\/rehearse-bf-2026/,
  );
});

test('a config with no fleet, or a fleet not deployed here: input errors naming the fix, before any AWS call', async () => {
  const storeOnly = join(dir, 'store-only.json');
  writeFileSync(
    storeOnly,
    JSON.stringify({ store: { rehearsalId: 'bf-2026', accountId: '123456789012', region: 'eu-west-1' } }),
  );
  await assert.rejects(
    readFleetEndpoint({ configPath: storeOnly, stateRoot: join(dir, 'state'), log: () => {} }),
    (e: Error & { exitCode?: number }) =>
      e.exitCode === 2 &&
      /store-only\.json has no "fleet": .*Add a "fleet" \(infra\/aws\/README\.md\) and run `rehearse stack up --target aws --aws-config .*store-only\.json`, or use --runners 1/.test(
        e.message,
      ),
  );
  const withFleet = join(dir, 'aws.json');
  writeFileSync(
    withFleet,
    JSON.stringify({ fleet: { rehearsalId: 'bf-2026', accountId: '123456789012', regions: ['eu-west-1'] } }),
  );
  await assert.rejects(
    readFleetEndpoint({ configPath: withFleet, stateRoot: join(dir, 'state'), log: () => {} }),
    /no deployed runner fleet in eu-west-1 \(no Terraform state with resources under .*state\/bf-2026\): run `rehearse stack up --target aws --aws-config .*aws\.json`/,
  );
});

test('a deployed fleet but no AWS credentials: the preflight error says what to set', async () => {
  const config = join(dir, 'deployed.json');
  writeFileSync(
    config,
    JSON.stringify({ fleet: { rehearsalId: 'bf-2026', accountId: '123456789012', regions: ['eu-west-1'] } }),
  );
  const stack = join(dir, 'state', 'bf-2026', 'stacks', 'rehearse-bf-2026-fleet-eu-west-1');
  mkdirSync(stack, { recursive: true });
  writeFileSync(join(stack, 'cdk.tf.json'), '{}');
  writeFileSync(join(stack, 'terraform.tfstate'), '{"resources":[{"type":"aws_autoscaling_group"}]}');
  const restoreEnv = saveEnv();
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, { HOME: dir, PATH: '/nonexistent' });
    await assert.rejects(
      readFleetEndpoint({ configPath: config, stateRoot: join(dir, 'state'), log: () => {} }),
      (e: Error & { exitCode?: number }) =>
        e.exitCode === 2 &&
        /^cannot reach the runner fleet of .*deployed\.json \(it needs AWS credentials, and terraform to read its outputs\):\n  - no AWS credentials found: set AWS_ACCESS_KEY_ID/.test(
          e.message,
        ) &&
        /neither terraform nor tofu/.test(e.message),
    );
  } finally {
    restoreEnv();
  }
});
