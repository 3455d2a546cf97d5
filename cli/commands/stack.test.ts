// `rehearse stack synth` with no AWS credentials anywhere, cdktf.json's entry, and bad aws.json
// files failing as input errors (exit 2) that name the field.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../test-support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/rehearse.mjs');
const dir = tempDir('rehearse-stack-cli-');
const config = {
  store: { rehearsalId: '20261125-bf', accountId: '123456789012', region: 'us-east-1' },
  fleet: { rehearsalId: '20261125-bf', accountId: '123456789012', regions: ['us-east-1', 'eu-west-1'] },
};
const names = [
  'rehearse-20261125-bf-store',
  'rehearse-20261125-bf-fleet-us-east-1',
  'rehearse-20261125-bf-fleet-eu-west-1',
];
// Nothing that could hold AWS credentials: no AWS_* variables, a HOME without ~/.aws.
const bare = { PATH: process.env.PATH!, HOME: tempDir('rehearse-no-aws-home-') };
const rehearse = (args: string[], env: NodeJS.ProcessEnv = bare) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env, cwd: dir, timeout: 120_000 });

test('stack synth writes one cdk.tf.json per stack with no AWS credentials in the environment', () => {
  writeFileSync(join(dir, 'aws.json'), JSON.stringify(config));
  const out = join(dir, 'review');
  const res = rehearse(['stack', 'synth', '--aws-config', 'aws.json', '--out', out]);
  assert.equal(res.status, 0, res.stderr);
  assert.deepEqual(
    res.stdout.trim().split('\n'),
    names.map((n) => join(out, 'stacks', n, 'cdk.tf.json')),
  );
  for (const n of names) {
    const json = JSON.parse(readFileSync(join(out, 'stacks', n, 'cdk.tf.json'), 'utf8'));
    assert.deepEqual(json.provider.aws[0].allowed_account_ids, ['123456789012']);
  }
});

test("cdktf.json's app synthesizes the same stacks into the cdktf CLI's output directory", () => {
  const cdktf = JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8'));
  const [node, ...args] = cdktf.app.split(' ');
  assert.equal(node, 'node');
  const out = join(dir, 'cdktf.out');
  const res = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...bare, REHEARSE_AWS_CONFIG: join(dir, 'aws.json'), CDKTF_OUTDIR: out },
  });
  assert.equal(res.status, 0, res.stderr);
  for (const n of names) assert.ok(existsSync(join(out, 'stacks', n, 'cdk.tf.json')), `${n} missing`);
});

test('{} as aws.json: stack down exits 2 and says store or fleet is required', () => {
  writeFileSync(join(dir, 'empty.json'), '{}');
  const res = rehearse(['stack', 'down', '--target', 'aws', '--aws-config', 'empty.json']);
  assert.equal(res.status, 2, res.stderr);
  assert.match(
    res.stderr,
    /empty\.json: invalid AWS config: "store" \(the WordPress stack\) or "fleet" \(the runner fleet\) is required/,
  );
  assert.doesNotMatch(res.stderr, /TypeError|at .*\.ts:\d+/);
});

test('a schema-invalid aws.json exits 2 naming the field', () => {
  const bad = { ...config, store: { ...config.store, accountId: '1234', app: { min: 3, desired: 2 } } };
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
  for (const args of [
    ['stack', 'down', '--target', 'aws'],
    ['stack', 'synth', '--out', join(dir, 'x')],
  ]) {
    const res = rehearse([...args, '--aws-config', 'bad.json']);
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /bad\.json: invalid WordPress stack config:/);
    assert.match(res.stderr, /store\.accountId: accountId must be the 12-digit AWS account id/);
    assert.match(res.stderr, /store\.app: app needs min <= desired <= max/);
  }
  writeFileSync(join(dir, 'stray.json'), JSON.stringify({ ...config, stores: {} }));
  const stray = rehearse(['stack', 'synth', '--aws-config', 'stray.json', '--out', join(dir, 'y')]);
  assert.equal(stray.status, 2, stray.stderr);
  assert.match(stray.stderr, /stray\.json: invalid AWS config.*\n.*stores/);
});
