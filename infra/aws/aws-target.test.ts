// The AWS target's lifecycle around terraform: apply in order, wait for healthy targets, hand
// back the ALB URL; on failure or Ctrl-C tear down only what this up created. terraform itself is
// a recording stand-in on PATH (no AWS account here); the synthesized JSON it is handed is real.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { awsTarget, type AwsTargetOptions } from './aws-target.ts';
import { catchInterrupts, IGNORED_INTERRUPT } from './lifecycle/interrupts.ts';
import { leaseHolder } from './lifecycle/live-lease.ts';
import { ACCOUNT_ID } from './testing/fixtures.ts';
import { saveEnv } from '../../test-support/env.ts';

const dir = tempDir('rehearse-aws-target-');
const calls = join(dir, 'calls.log');
const restoreEnv = saveEnv();
const ID = '20261125-120000-bf';
const STORE = `rehearse-${ID}-store`;
const FLEET = `rehearse-${ID}-fleet-us-east-1`;

// Records each call as "<stack dir name> <subcommand> <pgid>". apply writes a state with one
// resource (and fails after, when STUB_FAIL_APPLY matches the stack; or waits for SIGINT, when
// STUB_HANG_APPLY does); destroy empties it (slowly with STUB_SLOW_DESTROY); output prints the
// store's outputs. Every SIGINT it receives is recorded as "INT <subcommand>".
const STUB = `#!/bin/bash
chdir="\${1#-chdir=}"; stack="$(basename "$chdir")"; cmd="$2"
echo "$stack $cmd $(ps -o pgid= -p $$ | tr -d ' ')" >> "${calls}"
trap 'echo "INT $cmd" >> "${calls}"; sleep 0.3; exit 1' INT
case "$cmd" in
  init) exit 0 ;;
  state) cat "$chdir/addresses" 2>/dev/null; exit 0 ;;
  apply)
    echo '{"resources":[{"type":"aws_vpc","name":"main"}]}' > "$chdir/terraform.tfstate"
    grep -qx aws_vpc.main "$chdir/addresses" 2>/dev/null || echo aws_vpc.main >> "$chdir/addresses"
    if [ -n "$STUB_HANG_APPLY" ] && [[ "$stack" == *"$STUB_HANG_APPLY"* ]]; then
      echo aws_lb.alb >> "$chdir/addresses"; touch "${dir}/hanging"
      while true; do sleep 0.05; done
    fi
    if [ -n "$STUB_FAIL_APPLY" ] && [[ "$stack" == *"$STUB_FAIL_APPLY"* ]]; then
      echo aws_lb.alb >> "$chdir/addresses"; echo "Error: creating ALB: ThrottlingException" >&2; exit 1
    fi
    exit 0 ;;
  destroy)
    [ -n "$STUB_SLOW_DESTROY" ] && { touch "${dir}/destroying"; for i in $(seq 20); do sleep 0.05; done; }
    echo '{"resources":[]}' > "$chdir/terraform.tfstate"; : > "$chdir/addresses"; exit 0 ;;
  output) echo '{"site_url":{"value":"http://rehearse-alb-123.us-east-1.elb.amazonaws.com/"},"alb_arn_suffix":{"value":"app/x/1"},"target_group_arn_suffix":{"value":"targetgroup/y/2"},"lifetime":{"value":"ephemeral: destroying the stack deletes its data and its backups"}}'; exit 0 ;;
esac
exit 2
`;

const store = { rehearsalId: ID, accountId: ACCOUNT_ID, region: 'us-east-1', app: { min: 1, desired: 2, max: 4 } };
const fleet = { rehearsalId: ID, accountId: ACCOUNT_ID, regions: ['us-east-1'] };

before(() => {
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'terraform'), STUB);
  chmodSync(join(dir, 'bin', 'terraform'), 0o755);
  writeFileSync(join(dir, 'store.json'), JSON.stringify({ store }));
  writeFileSync(join(dir, 'store-and-fleet.json'), JSON.stringify({ store, fleet }));
  writeFileSync(join(dir, 'catalogue.json'), '{}');
  Object.assign(process.env, {
    PATH: `${join(dir, 'bin')}:/usr/bin:/bin`,
    HOME: dir,
    AWS_ACCESS_KEY_ID: 'AKIDTESTONLY',
    AWS_SECRET_ACCESS_KEY: 'test-only',
  });
});
after(() => {
  restoreEnv();
});

const lines: string[] = [];
const target = (config = 'store.json', more: Partial<AwsTargetOptions> = {}) =>
  awsTarget({
    configPath: join(dir, config),
    catalogue: join(dir, 'catalogue.json'),
    stateRoot: join(dir, 'state'),
    log: (l) => lines.push(l),
    healthProbe: () => async () => ({ healthy: 2, unhealthy: 0 }),
    healthIntervalMs: 5,
    ...more,
  });
const callLog = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);
/** [stack, subcommand] of each terraform call (SIGINT records as ['INT', subcommand]). */
const steps = () => callLog().map((l) => l.split(' ').slice(0, 2));
const stackDir = (name: string) => join(dir, 'state', ID, 'stacks', name);
const hasState = (name: string) =>
  JSON.parse(readFileSync(join(stackDir(name), 'terraform.tfstate'), 'utf8')).resources.length > 0;
const reset = () => {
  rmSync(calls, { force: true });
  rmSync(join(dir, 'state'), { recursive: true, force: true });
  lines.length = 0;
};
async function until(what: string, ok: () => boolean, ms = 20_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; calls: ${callLog().join(' | ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('up applies the synthesized store stack, waits for healthy targets and returns the ALB URL; down destroys it', async () => {
  reset();
  const t = target();
  let probes = 0;
  const slow = target('store.json', {
    healthProbe: () => async () => ({ healthy: Math.min(2, probes++), unhealthy: probes < 2 ? 1 : 0 }),
  });
  const endpoint = await slow.up();
  assert.equal(endpoint.baseUrl, 'http://rehearse-alb-123.us-east-1.elb.amazonaws.com');
  assert.ok(existsSync(join(stackDir(STORE), 'cdk.tf.json')), 'terraform ran on the real synth output');
  const synth = JSON.parse(readFileSync(join(stackDir(STORE), 'cdk.tf.json'), 'utf8'));
  assert.deepEqual(synth.provider.aws[0].allowed_account_ids, [ACCOUNT_ID]);
  assert.deepEqual(steps(), [
    [STORE, 'init'],
    [STORE, 'state'],
    [STORE, 'apply'],
    [STORE, 'output'],
  ]);
  assert.equal(probes, 3, 'up returned only once 2 targets (the desired capacity) were healthy');
  for (const progress of [
    /0\/2 targets healthy, 1 unhealthy/,
    /1\/2 targets healthy after/,
    /2\/2 targets healthy after/,
  ]) {
    assert.ok(
      lines.some((l) => progress.test(l)),
      `no progress line ${progress}`,
    );
  }
  assert.ok(
    lines.some((l) => /runs over plain HTTP/.test(l)),
    'an HTTP-only deploy says so',
  );
  assert.ok(
    lines.some((l) => /: ephemeral: destroying the stack deletes its data and its backups$/.test(l)),
    'it says so',
  );
  assert.equal((await t.status()).running, true);
  await t.down();
  assert.deepEqual(steps().slice(4), [
    [STORE, 'init'],
    [STORE, 'destroy'],
  ]);
  assert.equal((await t.status()).running, false);
});

test('a failed first up tears down what it created and still reports the failure', async () => {
  reset();
  process.env.STUB_FAIL_APPLY = 'store';
  try {
    await assert.rejects(target().up(), /apply failed \(exit 1\)[\s\S]*ThrottlingException/);
  } finally {
    delete process.env.STUB_FAIL_APPLY;
  }
  assert.deepEqual(steps(), [
    [STORE, 'init'],
    [STORE, 'state'],
    [STORE, 'apply'],
    [STORE, 'init'],
    [STORE, 'destroy'],
  ]);
  assert.equal((await target().status()).running, false);
});

test('a failed re-up of a healthy stack destroys nothing', async () => {
  reset();
  await target().up();
  rmSync(calls);
  process.env.STUB_FAIL_APPLY = 'store';
  try {
    await assert.rejects(target().up(), /ThrottlingException/);
  } finally {
    delete process.env.STUB_FAIL_APPLY;
  }
  assert.ok(!steps().some(([, cmd]) => cmd === 'destroy'), `destroy ran: ${callLog().join(' | ')}`);
  assert.ok(hasState(STORE));
  assert.ok(
    lines.some((l) =>
      /was running before this up: left in place .*added 1 resource\(s\) to it \(aws_lb\.alb\)/.test(l),
    ),
    lines.join('\n'),
  );
  assert.equal((await target().status()).running, true);
});

test('a failed health wait tears down a stack this up created', async () => {
  reset();
  const never = target('store.json', {
    healthProbe: () => async () => ({ healthy: 0, unhealthy: 2 }),
    healthTimeoutMs: 30,
  });
  await assert.rejects(
    never.up(),
    /only 0\/2 targets healthy, 2 unhealthy after \d+ s: the app instances did not pass the ALB health check/,
  );
  assert.deepEqual(steps().slice(-2), [
    [STORE, 'init'],
    [STORE, 'destroy'],
  ]);
});

test(
  'Ctrl-C during apply: terraform, in its own process group, gets exactly one SIGINT; only what this up created is torn down; ' +
    'further Ctrl-C is ignored with a message',
  { timeout: 60_000 },
  async () => {
    reset();
    await target().up(); // the store is already running
    rmSync(calls);
    rmSync(join(dir, 'hanging'), { force: true });
    rmSync(join(dir, 'destroying'), { force: true });
    Object.assign(process.env, { STUB_HANG_APPLY: 'fleet', STUB_SLOW_DESTROY: '1' });
    const interrupts = catchInterrupts((l) => lines.push(l));
    try {
      const up = target('store-and-fleet.json', { signal: interrupts.signal }).up();
      const failed = assert.rejects(
        up,
        (e: Error & { exitCode?: number }) =>
          e.exitCode === 130 && /stack up interrupted: .*fleet-us-east-1: apply failed/.test(e.message),
      );
      await until('the fleet apply to hang', () => existsSync(join(dir, 'hanging')));
      assert.equal(leaseHolder(join(dir, 'state', ID)), process.pid, 'the reaper sees this rehearsal as live');
      process.kill(process.pid, 'SIGINT'); // Ctrl-C
      process.kill(process.pid, 'SIGINT'); // impatient second Ctrl-C while terraform stops
      await until('the teardown', () => existsSync(join(dir, 'destroying')));
      process.kill(process.pid, 'SIGINT'); // and a third during the teardown
      await failed;
    } finally {
      interrupts.dispose();
      delete process.env.STUB_HANG_APPLY;
      delete process.env.STUB_SLOW_DESTROY;
    }
    assert.deepEqual(
      steps().filter(([who]) => who === 'INT'),
      [['INT', 'apply']],
      `terraform got: ${callLog().join(' | ')}`,
    );
    assert.deepEqual(
      steps().filter(([, cmd]) => cmd === 'destroy'),
      [[FLEET, 'destroy']],
      'only the fleet stack, new in this up, is destroyed',
    );
    assert.ok(hasState(STORE), 'the store that was running before is untouched');
    assert.equal(leaseHolder(join(dir, 'state', ID)), undefined, 'the lease ends with the up');
    assert.equal(hasState(FLEET), false);
    assert.equal(lines.filter((l) => l === IGNORED_INTERRUPT).length, 2, lines.join('\n'));
    const ownGroup = execFileSync('ps', ['-o', 'pgid=', '-p', String(process.pid)], { encoding: 'utf8' }).trim();
    for (const line of callLog().filter((l) => !l.startsWith('INT'))) {
      assert.notEqual(line.split(' ')[2], ownGroup, `terraform ran in the terminal's process group: ${line}`);
    }
  },
);

test(
  "a down during an interrupted up (the rehearsal's second Ctrl-C) waits for its teardown instead of racing it",
  { timeout: 60_000 },
  async () => {
    reset();
    rmSync(join(dir, 'hanging'), { force: true });
    process.env.STUB_HANG_APPLY = 'store';
    const abort = new AbortController();
    const t = target('store.json', { signal: abort.signal });
    const order: string[] = [];
    try {
      const up = t.up().then(
        () => order.push('up resolved'),
        () => order.push('up settled'),
      );
      await until('the store apply to hang', () => existsSync(join(dir, 'hanging')));
      abort.abort();
      await t.down().then(() => order.push('down done'));
      await up;
    } finally {
      delete process.env.STUB_HANG_APPLY;
    }
    assert.deepEqual(order, ['up settled', 'down done']);
    assert.deepEqual(
      steps().filter(([, cmd]) => cmd === 'destroy'),
      [[STORE, 'destroy']],
      'one teardown, not two on the same lock',
    );
    assert.ok(lines.some((l) => /waiting for the interrupted up to stop Terraform/.test(l)));
  },
);

test('with state in S3, down on a machine that never ran up synthesizes and destroys every stack', async () => {
  reset();
  const s3 = { backend: 's3', bucket: 'acme-terraform-state', region: 'us-east-1' };
  writeFileSync(join(dir, 'remote.json'), JSON.stringify({ store, fleet, state: s3 }));
  await target('remote.json').down();
  assert.deepEqual(steps(), [
    [FLEET, 'init'],
    [FLEET, 'destroy'],
    [STORE, 'init'],
    [STORE, 'destroy'],
  ]);
  const synth = JSON.parse(readFileSync(join(stackDir(STORE), 'cdk.tf.json'), 'utf8'));
  assert.equal(synth.terraform.backend.s3.key, `rehearse/${ID}/${STORE}.tfstate`);
});

test('missing pieces are input errors that say what to pass', async () => {
  const noCatalogue = awsTarget({ configPath: join(dir, 'store.json'), stateRoot: join(dir, 'state'), log: () => {} });
  await assert.rejects(noCatalogue.up(), /--target aws needs --catalogue FILE/);
  assert.throws(
    () => awsTarget({ configPath: join(dir, 'missing.json'), log: () => {} }),
    /--aws-config .*missing\.json: no such file/,
  );
  writeFileSync(join(dir, 'empty.json'), '{}');
  assert.throws(
    () => awsTarget({ configPath: join(dir, 'empty.json'), log: () => {} }),
    (e: Error & { exitCode?: number }) =>
      e.exitCode === 2 && /empty\.json: .*"store" .* or "fleet" .* is required/.test(e.message),
  );
  writeFileSync(join(dir, 'no-account.json'), JSON.stringify({ store: { rehearsalId: ID, region: 'us-east-1' } }));
  assert.throws(
    () => awsTarget({ configPath: join(dir, 'no-account.json'), log: () => {} }),
    (e: Error & { exitCode?: number }) => e.exitCode === 2 && /store\.accountId: accountId is required/.test(e.message),
  );
});
