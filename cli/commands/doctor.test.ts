// `rehearse doctor` as a user runs it, on a machine with problems made for the test: a missing
// package (a stand-in dpkg-query), an asked-for port held by another process, a state dir the
// service users cannot reach. The rehearsal stops on the same findings before it starts anything.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../test-support/temp-dir.ts';
import { freeReplicaPort } from '../../infra/local/test-support/free-port.ts';

const BIN = fileURLToPath(new URL('../../bin/rehearse.mjs', import.meta.url));
let env: NodeJS.ProcessEnv;
let port: number;
let closed: string;
let server: net.Server;

before(async () => {
  const dir = tempDir('rehearse-doctor-cli-');
  closed = path.join(dir, 'closed');
  fs.mkdirSync(closed, { mode: 0o700 });
  fs.chmodSync(closed, 0o700);
  // Every package is installed but wordpress.
  const dpkg = path.join(dir, 'dpkg-query');
  fs.writeFileSync(
    dpkg,
    '#!/bin/sh\n[ "$1" = --version ] && exit 0\nshift 2\nfor p in "$@"; do [ "$p" = wordpress ] && echo "$p not-installed" || echo "$p installed"; done\n',
    { mode: 0o755 },
  );
  port = await freeReplicaPort(4);
  server = net.createServer();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  env = {
    ...process.env,
    REHEARSE_DPKG_QUERY: dpkg,
    REHEARSE_LOCAL_PORT: String(port),
    REHEARSE_STATE_DIR: path.join(closed, 'state'),
  };
});
after(() => server.close());

// Async spawn: this process must keep answering as the port's holder while the child looks.
function rehearse(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) => child.on('close', (code) => (clearTimeout(guard), done({ code, out, err }))));
}

test('doctor --json: each problem is a failing finding with advice, and the exit code is 2', async () => {
  const res = await rehearse(['doctor', '--json']);
  assert.equal(res.code, 2, res.err);
  const report = JSON.parse(res.out) as {
    ok: boolean;
    findings: Array<{ check: string; status: string; detail: string; advice?: string }>;
  };
  assert.equal(report.ok, false);
  const by = Object.fromEntries(report.findings.map((f) => [f.check, f]));
  assert.deepEqual(Object.keys(by).sort(), ['cgroup', 'disk', 'k6', 'node', 'packages', 'ports', 'state dir', 'user']);
  assert.equal(by.packages!.status, 'fail');
  assert.equal(by.packages!.detail, 'missing Debian packages: wordpress');
  assert.match(by.packages!.advice!, /apt-get install --no-install-recommends wordpress apache2-/);
  assert.equal(by.ports!.status, 'fail');
  assert.match(by.ports!.detail, new RegExp(`port ${port} \\(the balancer\\) is taken by pid ${process.pid} `));
  assert.equal(by['state dir']!.status, 'fail');
  assert.match(by['state dir']!.advice!, new RegExp(`chmod o\\+x ${closed}`));
  assert.equal(by.node!.status, 'ok');
});

test('doctor: the text form puts the advice under each failing check', async () => {
  const res = await rehearse(['doctor']);
  assert.equal(res.code, 2);
  assert.match(res.out, /^FAIL  packages .*wordpress\n +→ run 'npm run rehearsal'/m);
  assert.match(res.out, /problem\(s\) stop a rehearsal here/);
});

test('the rehearsal runs the same checks first and stops with their advice, starting nothing', async () => {
  const runs = path.join(tempDir('rehearse-doctor-runs-'), 'runs');
  const res = await rehearse(['rehearsal', '--profile', 'smoke', '--duration', '10s', '--runs-dir', runs]);
  assert.equal(res.code, 2, res.err);
  assert.match(
    res.err,
    /the local replica cannot run here:\n {2}packages: missing Debian packages: wordpress\n {4}→ run 'npm run rehearsal'/,
  );
  assert.match(res.err, /ports: port \d+ \(the balancer\) is taken/);
  assert.match(res.err, /run 'rehearse doctor' to see every check/);
  assert.equal(fs.existsSync(path.join(closed, 'state')), false, 'no state dir made');
  assert.equal(fs.existsSync(runs), false, 'no run directory made');
});
