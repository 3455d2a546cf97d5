// The AWS target's lifecycle around terraform: apply in order, hand back the ALB URL, and tear
// down on failure. terraform itself is a recording stand-in on PATH (no AWS account here); the
// synthesized JSON it is handed is the real one.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { awsTarget } from './aws-target.ts';

const dir = mkdtempSync(join(tmpdir(), 'rehearse-aws-target-'));
const calls = join(dir, 'calls.log');
const saved = { ...process.env };

// Records each call; `apply` writes a state with one resource (or fails after creating it, when
// asked), `destroy` empties it, `output -json` prints the store's outputs.
const STUB = `#!/bin/bash
echo "$*" >> "${calls}"
chdir="\${1#-chdir=}"
case "$2" in
  init) exit 0 ;;
  apply) echo '{"resources":[{"type":"aws_vpc"}]}' > "$chdir/terraform.tfstate"; [ -n "$STUB_FAIL_APPLY" ] && { echo "Error: creating ALB: AccessDenied" >&2; exit 1; }; exit 0 ;;
  destroy) echo '{"resources":[]}' > "$chdir/terraform.tfstate"; exit 0 ;;
  output) echo '{"site_url":{"value":"http://rehearse-alb-123.us-east-1.elb.amazonaws.com/"}}'; exit 0 ;;
esac
exit 2
`;

before(() => {
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'terraform'), STUB);
  chmodSync(join(dir, 'bin', 'terraform'), 0o755);
  writeFileSync(join(dir, 'aws.json'), JSON.stringify({ store: { rehearsalId: '20261125-120000-bf', region: 'us-east-1' } }));
  writeFileSync(join(dir, 'catalogue.json'), '{}');
  Object.assign(process.env, { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, HOME: dir, AWS_ACCESS_KEY_ID: 'AKIDTESTONLY', AWS_SECRET_ACCESS_KEY: 'test-only' });
});
after(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

const target = () => awsTarget({ configPath: join(dir, 'aws.json'), catalogue: join(dir, 'catalogue.json'), stateRoot: join(dir, 'state'), log: () => {} });
const callLog = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);

test('up applies the synthesized store stack and returns the ALB URL; down destroys it', async () => {
  rmSync(calls, { force: true });
  const t = target();
  const endpoint = await t.up();
  assert.equal(endpoint.baseUrl, 'http://rehearse-alb-123.us-east-1.elb.amazonaws.com');
  const stackDir = join(dir, 'state', '20261125-120000-bf', 'stacks', 'rehearse-20261125-120000-bf-store');
  assert.ok(existsSync(join(stackDir, 'cdk.tf.json')), 'terraform ran on the real synth output');
  assert.deepEqual(callLog().map((l) => l.split(' ')[1]), ['init', 'apply', 'output']);
  assert.ok(callLog()[1]!.includes('-auto-approve'));
  assert.equal((await t.status()).running, true);
  await t.down();
  assert.deepEqual(callLog().slice(3).map((l) => l.split(' ')[1]), ['init', 'destroy']);
  assert.equal((await t.status()).running, false);
});

test('a failed apply tears down what it created and still reports the failure', async () => {
  rmSync(calls, { force: true });
  process.env.STUB_FAIL_APPLY = '1';
  try {
    await assert.rejects(target().up(), /apply failed \(exit 1\)[\s\S]*AccessDenied/);
  } finally {
    delete process.env.STUB_FAIL_APPLY;
  }
  assert.deepEqual(callLog().map((l) => l.split(' ')[1]), ['init', 'apply', 'init', 'destroy']);
  assert.equal((await target().status()).running, false);
});

test('missing pieces are input errors that say what to pass', async () => {
  const noCatalogue = awsTarget({ configPath: join(dir, 'aws.json'), stateRoot: join(dir, 'state'), log: () => {} });
  await assert.rejects(noCatalogue.up(), /--target aws needs --catalogue FILE/);
  assert.throws(() => awsTarget({ configPath: join(dir, 'missing.json'), log: () => {} }), /--aws-config .*missing\.json: no such file/);
});
