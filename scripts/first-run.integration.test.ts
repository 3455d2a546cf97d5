// The README's command as a newcomer runs it: a clone in a directory only its owner can enter
// (mktemp -d, /root, many homes), with the default port 18080 held by another program. The
// rehearsal keeps its state under /var/lib/rehearse/ and moves to a free port, and the machine is
// left as found: replica stopped, state and /var/lib/rehearse (when this test made it) removed.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { listeningTcp, sessionMembers } from '../infra/local/proc.ts';
import { status } from '../infra/local/replica.ts';
import { FALLBACK_ROOT, fallbackStateDir } from '../infra/local/state-dir.ts';
import { tempDir } from '../test-support/temp-dir.ts';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let parent: string;
let clone: string;
let stateDir: string;
let madeRoot = false;
let holder: net.Server | undefined;
const env = () => {
  const e: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
  delete e.REHEARSE_STATE_DIR; // as a newcomer: nothing chosen
  delete e.REHEARSE_LOCAL_PORT;
  return e;
};

before(async () => {
  parent = tempDir('rehearse-first-run-');
  fs.chmodSync(parent, 0o700);
  clone = path.join(parent, 'rehearse');
  stateDir = fallbackStateDir(clone);
  madeRoot = !fs.existsSync(FALLBACK_ROOT);
  const git = spawnSync('git', ['clone', '-q', '--no-hardlinks', HERE, clone], { encoding: 'utf8' });
  assert.equal(git.status, 0, git.stderr);
  // npm install is not the point here: the clone borrows this checkout's packages.
  fs.rmSync(path.join(clone, 'node_modules'), { force: true });
  fs.symlinkSync(fs.realpathSync(path.join(HERE, 'node_modules')), path.join(clone, 'node_modules'));
  // 18080 busy: ours, or already someone else's (then it is busy all the same).
  holder = await new Promise<net.Server | undefined>((ok) => {
    const s = net
      .createServer()
      .once('error', () => ok(undefined))
      .listen(18080, '127.0.0.1', () => ok(s));
  });
});

after(async () => {
  if (!clone) return;
  spawnSync(process.execPath, [path.join(clone, 'bin/rehearse.mjs'), 'stack', 'down'], {
    env: env(),
    cwd: clone,
    timeout: 120_000,
  });
  holder?.close();
  fs.rmSync(stateDir, { recursive: true, force: true });
  if (madeRoot && fs.existsSync(FALLBACK_ROOT) && fs.readdirSync(FALLBACK_ROOT).length === 0)
    fs.rmdirSync(FALLBACK_ROOT);
});

function fromClone(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  // Async: this process keeps holding 18080 (and answering) while the rehearsal runs.
  const child = spawn(process.execPath, [path.join(clone, 'bin/rehearse.mjs'), ...args], { env: env(), cwd: clone });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const guard = setTimeout(() => child.kill('SIGINT'), 300_000);
  return new Promise((done) => child.on('close', (code) => (clearTimeout(guard), done({ code, out, err }))));
}

test('a clone in a 0700 directory, with 18080 taken: the rehearsal runs on another port, state under /var/lib/rehearse', async () => {
  const res = await fromClone([
    'rehearsal',
    '--profile',
    'smoke',
    '--duration',
    '20s',
    '--peak-rate',
    '2',
    '--runs-dir',
    path.join(parent, 'runs'),
  ]);
  assert.equal(res.code, 0, res.err);
  assert.match(
    res.err,
    new RegExp(
      `${parent} is not searchable by the mysql and www-data users, so the replica's state lives in ${stateDir}`,
    ),
  );
  const moved = /port 18080 \(the balancer\) is taken by .*; using port (\d+) instead/.exec(res.err);
  assert.ok(moved, `says which port it took instead:\n${res.err}`);
  assert.match(res.err, new RegExp(`target ready at http://127\\.0\\.0\\.1:${moved[1]} `));
  assert.ok(fs.existsSync(path.join(stateDir, 'replica.json')), 'the state lives in the fallback dir');
  assert.equal(fs.existsSync(path.join(clone, '.state')), false, 'nothing in the unreachable checkout');
  const runDir = res.out.trim().split('\n').at(-1)!;
  const record = JSON.parse(fs.readFileSync(path.join(runDir, 'record.json'), 'utf8'));
  assert.ok(record.totals.requests > 10, `load went through (${record.totals.requests} requests)`);
  const s = await status({ stateDir });
  assert.equal(s.running, false);
  for (const c of s.components) assert.equal(c.alive, false, `${c.name} (pid ${c.pid}) still alive`);
});

test('stack up, status and down from the clone find the same state dir', async () => {
  const up = await fromClone(['stack', 'up']);
  assert.equal(up.code, 0, up.err);
  assert.doesNotMatch(up.err, /is not searchable/, 'said once: when the state dir was made');
  const url = up.out.trim();
  assert.notEqual(url, 'http://127.0.0.1:18080');
  const st = await fromClone(['stack', 'status', '--json']);
  assert.equal(JSON.parse(st.out).baseUrl, url);
  const running = await status({ stateDir });
  assert.equal(running.running, true);
  // Nothing the replica runs listens outside loopback.
  const listeners = listeningTcp(running.components.flatMap((c) => (c.pid ? sessionMembers(c.pid) : [])));
  assert.ok(listeners.length >= 3, 'balancer and instances listen');
  for (const l of listeners) assert.equal(l.address, '127.0.0.1', `pid ${l.pid} listens on ${l.address}:${l.port}`);
  const down = await fromClone(['stack', 'down']);
  assert.equal(down.code, 0, down.err);
  assert.equal((await status({ stateDir })).running, false);
});
