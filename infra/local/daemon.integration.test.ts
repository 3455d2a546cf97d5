// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// Real processes: stopDaemon signals only what spawnDaemon started, and cleans up after crashes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { readPidRecord, runningPid, spawnDaemon, stillStarting, stopDaemon } from './daemon.ts';
import { isAlive, sessionMembers } from './proc.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-daemon-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function spec(name: string, command: string, args: string[], marker: string) {
  return {
    component: name,
    command,
    args,
    marker,
    logFile: path.join(dir, `${name}.log`),
    pidFile: path.join(dir, `${name}.pid`),
    debianPackage: 'none',
  };
}

test('a process that exits on SIGTERM is stopped, and its pid file removed', async () => {
  const marker = `${dir}/marker-term`;
  const rec = await spawnDaemon(spec('term', process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], marker));
  assert.equal(runningPid(path.join(dir, 'term.pid')), rec.pid);
  assert.equal(await stopDaemon(path.join(dir, 'term.pid')), 'stopped');
  assert.ok(!isAlive(rec.pid));
  assert.ok(!fs.existsSync(path.join(dir, 'term.pid')));
  assert.equal(await stopDaemon(path.join(dir, 'term.pid')), 'not-running');
});

test('a process that ignores SIGTERM, and its children, are SIGKILLed after the timeout', async () => {
  const marker = `${dir}/marker-stubborn`;
  const rec = await spawnDaemon(
    spec('stubborn', 'bash', ['-c', 'trap "" TERM; sleep 60 & while :; do sleep 0.05; done', marker], marker),
  );
  await new Promise((r) => setTimeout(r, 200));
  const members = sessionMembers(rec.pid);
  assert.ok(members.length >= 2, 'bash and its sleep share the session');
  const t0 = Date.now();
  assert.equal(await stopDaemon(path.join(dir, 'stubborn.pid'), { timeoutMs: 500 }), 'killed');
  assert.ok(Date.now() - t0 >= 500);
  for (const p of members) assert.ok(!isAlive(p), `pid ${p} still alive`);
});

test('workers orphaned by a crashed leader are cleaned up', async () => {
  const marker = `${dir}/marker-crash`;
  const rec = await spawnDaemon(spec('crash', 'bash', ['-c', 'sleep 60 & wait', marker], marker));
  await new Promise((r) => setTimeout(r, 200));
  const members = sessionMembers(rec.pid);
  assert.ok(members.length >= 2);
  process.kill(rec.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(runningPid(path.join(dir, 'crash.pid')), undefined);
  assert.equal(await stopDaemon(path.join(dir, 'crash.pid'), { timeoutMs: 1000 }), 'killed');
  for (const p of members) assert.ok(!isAlive(p), `pid ${p} still alive`);
});

test('a pid file whose pid now runs something else is never signalled', async () => {
  const file = path.join(dir, 'reused.pid');
  // Our own pid with a marker that is not in our command line: a reused pid.
  fs.writeFileSync(
    file,
    JSON.stringify({ component: 'reused', pid: process.pid, startTime: 0, marker: '/nowhere', logFile: '/dev/null' }),
  );
  assert.equal(await stopDaemon(file), 'stale');
  assert.ok(isAlive(process.pid));
  assert.equal(readPidRecord(file), undefined);
});

test('a missing binary fails with the Debian package to install', async () => {
  await assert.rejects(
    spawnDaemon(spec('missing', 'no-such-binary-rehearse', [], 'x')),
    /install the Debian package none/,
  );
});

test('while a daemon starts, a command line that no longer shows the marker (it retitled itself) is not "exited"', async () => {
  const marker = `${dir}/marker-retitle`;
  // Node rewrites its own title, as php-fpm does: the marker leaves /proc/<pid>/cmdline.
  const rec = await spawnDaemon(
    spec(
      'retitle',
      process.execPath,
      ['-e', 'process.title = "master process"; setInterval(() => {}, 1000)', marker],
      marker,
    ),
  );
  const pidFile = path.join(dir, 'retitle.pid');
  const deadline = Date.now() + 5000;
  while (runningPid(pidFile) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(runningPid(pidFile), undefined, 'the marker is gone from its command line');
  assert.equal(stillStarting(pidFile), true, 'yet it is the process we started, still alive');
  process.kill(rec.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(stillStarting(pidFile), false);
  fs.rmSync(pidFile, { force: true });
});
