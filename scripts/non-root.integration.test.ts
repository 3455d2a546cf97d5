// The README's promise for a user who is not root: with password-less sudo, the replica comes up
// and down as that user. Every daemon runs as the user; only the cgroup writes use sudo -n. Without
// sudo it still runs, uncapped, and says so. A throw-away user and its sudoers file are made here
// and removed afterwards, also when a test fails.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cgroupPrefix, detectCgroups, listAppCgroups, removeAllAppCgroups } from '../infra/local/cgroup.ts';
import { httpGet } from '../infra/local/readiness.ts';
import { sessionMembers } from '../infra/local/proc.ts';
import { freeReplicaPort } from '../infra/local/test-support/free-port.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const user = `rehearse-t${crypto.randomBytes(3).toString('hex')}`;
const sudoers = `/etc/sudoers.d/${user}`;
const home = `/home/${user}`;
const clone = path.join(home, 'rehearse');
const stateDir = path.join(clone, '.state', 'local');
let uid: number;
let port: number;
let made = false;

function asUser(args: string[], timeout = 240_000, extraEnv: string[] = []) {
  const env = [
    'HOME=' + home,
    'PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin',
    'LANG=C.UTF-8',
    'CI=true',
    `REHEARSE_LOCAL_PORT=${port}`,
    ...extraEnv,
  ];
  const res = spawnSync(
    'runuser',
    ['-u', user, '--', 'env', '-i', ...env, process.execPath, path.join(clone, 'bin/rehearse.mjs'), ...args],
    {
      cwd: clone,
      encoding: 'utf8',
      timeout,
    },
  );
  return { code: res.status, out: res.stdout, err: res.stderr };
}

// Live processes only: a stopped daemon may stay a zombie until init reaps it.
const userPids = () =>
  spawnSync('ps', ['-u', user, '-o', 'pid=,stat='], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, st]) => pid && !st?.startsWith('Z'))
    .map(([pid]) => Number(pid));
const logTail = (name: string) => {
  try {
    return fs.readFileSync(path.join(stateDir, 'logs', `${name}.log`), 'utf8').slice(-1500);
  } catch {
    return '(no log)';
  }
};
const ownerOf = (pid: number) => fs.statSync(`/proc/${pid}`).uid;

before(async () => {
  port = await freeReplicaPort(4);
  const add = spawnSync('useradd', ['-m', '-s', '/bin/sh', user], { encoding: 'utf8' });
  assert.equal(add.status, 0, add.stderr);
  made = true;
  uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout);
  fs.chmodSync(home, 0o700); // a home only its owner can enter: nothing needs more
  fs.writeFileSync(sudoers, `${user} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  const git = spawnSync('git', ['clone', '-q', '--no-hardlinks', HERE, clone], { encoding: 'utf8' });
  assert.equal(git.status, 0, git.stderr);
  fs.rmSync(path.join(clone, 'node_modules'), { force: true });
  fs.symlinkSync(fs.realpathSync(path.join(HERE, 'node_modules')), path.join(clone, 'node_modules'));
  assert.equal(spawnSync('chown', ['-R', '-h', `${user}:`, clone]).status, 0);
});

after(async () => {
  if (!made) return;
  try {
    asUser(['stack', 'down'], 120_000);
    // Whatever the user still runs was started by this test: stop it by pid.
    for (const pid of userPids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await removeAllAppCgroups(detectCgroups(), stateDir).catch(() => {}); // as root: whatever the user could not remove
  } finally {
    fs.rmSync(sudoers, { force: true });
    spawnSync('userdel', ['-r', '-f', user], { stdio: 'ignore' });
  }
});

test('with password-less sudo: up as the user, every daemon runs as that user, instances capped; down leaves nothing', async () => {
  const up = asUser(['stack', 'up']);
  assert.equal(up.code, 0, up.err);
  assert.equal(up.out.trim(), `http://127.0.0.1:${port}`);
  assert.equal((await httpGet(`http://127.0.0.1:${port}/`, 10_000)).status, 200);
  const st = asUser(['stack', 'status', '--json']);
  const status = JSON.parse(st.out) as {
    running: boolean;
    components: Array<{ name: string; pid: number; alive: boolean }>;
  };
  assert.equal(status.running, true, `${st.out}\nredis log: ${logTail('redis')}`);
  const pids = status.components.flatMap((c) => sessionMembers(c.pid));
  assert.ok(pids.length >= 8, `daemons and their workers: ${pids.length}`);
  for (const pid of pids) assert.equal(ownerOf(pid), uid, `pid ${pid} runs as the user, not root`);
  const roots = detectCgroups();
  if (roots.mode !== 'none') {
    const groups = listAppCgroups(roots, stateDir);
    assert.deepEqual(
      groups,
      [`${cgroupPrefix(stateDir)}-app-0`, `${cgroupPrefix(stateDir)}-app-1`],
      'one cgroup per instance, made through sudo',
    );
    const nginx0 = status.components.find((c) => c.name === 'nginx-app-0')!.pid;
    const procs = fs
      .readFileSync(path.join(roots.cpu!, groups[0]!, 'cgroup.procs'), 'utf8')
      .split('\n')
      .map(Number);
    assert.ok(procs.includes(nginx0), 'the instance runs inside its capped cgroup');
  }
  const down = asUser(['stack', 'down']);
  assert.equal(down.code, 0, down.err);
  assert.deepEqual(userPids(), [], 'no process of the user left');
  if (roots.mode !== 'none') assert.deepEqual(listAppCgroups(roots, stateDir), [], 'cgroups removed');
});

test('without sudo: the replica still comes up and down as the user, uncapped, and says so', async () => {
  fs.rmSync(sudoers);
  const up = asUser(['stack', 'up']);
  assert.equal(up.code, 0, up.err);
  assert.match(up.err, /not root and no password-less sudo for the cgroup writes: app instances run uncapped/);
  assert.equal((await httpGet(`http://127.0.0.1:${port}/`, 10_000)).status, 200);
  assert.deepEqual(listAppCgroups(detectCgroups(), stateDir), []);
  const doctor = asUser(['doctor', '--json']);
  const cgroup = (
    JSON.parse(doctor.out) as { findings: Array<{ check: string; status: string; advice?: string }> }
  ).findings.find((f) => f.check === 'cgroup')!;
  assert.equal(cgroup.status, 'warn');
  assert.match(cgroup.advice!, /password-less sudo/);
  const down = asUser(['stack', 'down']);
  assert.equal(down.code, 0, down.err);
  assert.deepEqual(userPids(), []);
});

test('a state dir root made earlier stops the user with one sentence (exit 2), not EACCES', () => {
  const dir = tempDir('rehearse-root-state-');
  fs.chmodSync(dir, 0o755);
  const state = path.join(dir, 'state');
  for (const d of ['run', 'logs']) fs.mkdirSync(path.join(state, d), { recursive: true });
  const up = asUser(['stack', 'up'], 60_000, [`REHEARSE_STATE_DIR=${state}`]);
  assert.equal(up.code, 2, up.err);
  assert.equal(
    up.err.trim(),
    `rehearse: state dir ${state} belongs to root (an earlier run as that user); remove it (sudo rm -rf ${state}) or set REHEARSE_STATE_DIR to a directory of your own`,
  );
});
