import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { freeReplicaPort } from '../../infra/local/test-support/free-port.ts';
import { checkCgroup, checkDisk, checkNode, checkPackages, checkPorts, checkUser, checkStateDir } from './checks.ts';
import { renderText } from './finding.ts';

const servers: net.Server[] = [];
after(() => servers.forEach((s) => s.close()));
const hold = (port: number) =>
  new Promise<void>((ok) => {
    const s = net
      .createServer()
      .once('error', () => ok())
      .listen(port, '127.0.0.1', () => ok());
    servers.push(s);
  });

test('node: older than the engines field fails with what to install', () => {
  assert.equal(checkNode('20.10.0').status, 'ok');
  assert.equal(checkNode('22.1.0').status, 'ok');
  const old = checkNode('18.19.1');
  assert.equal(old.status, 'fail');
  assert.match(old.advice!, /install Node 20\.10\.0 or newer/);
});

test('user: says who the daemons run as', () => {
  assert.match(checkUser(true).detail, /^root: MariaDB runs as mysql, php-fpm and nginx workers as www-data/);
  assert.match(
    checkUser(false, 'alice').detail,
    /^alice: every daemon of the replica runs as alice; .*cgroup writes \(sudo -n\)/,
  );
});

test('packages: a missing one fails with the apt-get line that forbids Apache', () => {
  const f = checkPackages(['replica'], {
    available: () => true,
    missing: (names) => names.filter((n) => n === 'wordpress'),
  });
  assert.equal(f.status, 'fail');
  assert.equal(f.detail, 'missing Debian packages: wordpress');
  assert.match(
    f.advice!,
    /apt-get install --no-install-recommends wordpress apache2- apache2-bin- libapache2-mod-php8\.2-/,
  );
  assert.equal(checkPackages(['replica'], { available: () => true, missing: () => [] }).status, 'ok');
  assert.equal(
    checkPackages(['replica'], { available: () => false, missing: () => [] }).status,
    'warn',
    'off Debian: cannot tell',
  );
});

test('cgroup: no CPU controller is a warning that instances run uncapped, with advice', () => {
  const root = tempDir('rehearse-nocgroup-');
  const f = checkCgroup(root);
  assert.equal(f.status, 'warn');
  assert.match(f.detail, /no cgroup CPU control .* uncapped/);
  assert.match(f.advice!, /cpu controller/);
});

test('cgroup: a user with neither root nor password-less sudo is told how to get capped instances', () => {
  const root = tempDir('rehearse-v1cgroup-');
  fs.mkdirSync(path.join(root, 'cpu'));
  fs.writeFileSync(path.join(root, 'cpu', 'cpu.cfs_quota_us'), '-1');
  const f = checkCgroup(root, false);
  assert.equal(f.status, 'warn');
  assert.match(f.detail, /cgroup v1 .* not root and has no password-less sudo: app instances would run uncapped/);
  assert.match(f.advice!, /password-less sudo/);
  assert.equal(checkCgroup(root, true).status, 'ok', 'as root: a probe cgroup could be made there');
});

test('state dir: REHEARSE_STATE_DIR below a 0700 directory fails with the chmod to run', () => {
  const parent = tempDir('rehearse-closed-');
  fs.chmodSync(parent, 0o700);
  const f = checkStateDir({ REHEARSE_STATE_DIR: path.join(parent, 'state') }, undefined, true);
  assert.equal(f.status, 'fail');
  assert.match(f.detail, new RegExp(`${parent} is not searchable by the mysql and www-data users`));
  assert.equal(
    f.advice,
    `run 'chmod o+x ${parent}', or unset REHEARSE_STATE_DIR (the replica then picks a reachable place itself)`,
  );
  assert.equal(
    checkStateDir({ REHEARSE_STATE_DIR: path.join(parent, 'state') }, undefined, false).status,
    'ok',
    'not root: daemons run as us',
  );
  fs.chmodSync(parent, 0o755);
  assert.equal(checkStateDir({ REHEARSE_STATE_DIR: path.join(parent, 'state') }, undefined, true).status, 'ok');
});

test('state dir: a checkout out of reach is fine, its state lives elsewhere', () => {
  const parent = tempDir('rehearse-closed-');
  fs.chmodSync(parent, 0o700);
  const f = checkStateDir({}, path.join(parent, 'repo'), true);
  assert.equal(f.status, 'ok');
  assert.match(f.detail, new RegExp(`^/var/lib/rehearse/[0-9a-f]{12} \\(the checkout is out of reach: ${parent}`));
});

test('ports: an asked-for port held by another process fails naming it; free ports are ok', async () => {
  const state = path.join(tempDir('rehearse-doctor-ports-'), 'state');
  const port = await freeReplicaPort(4);
  assert.equal((await checkPorts({ REHEARSE_STATE_DIR: state, REHEARSE_LOCAL_PORT: String(port) })).status, 'ok');
  await hold(port);
  const f = await checkPorts({ REHEARSE_STATE_DIR: state, REHEARSE_LOCAL_PORT: String(port) });
  assert.equal(f.status, 'fail');
  assert.match(f.detail, new RegExp(`port ${port} \\(the balancer\\) is taken by pid ${process.pid} \\(.*node`));
  assert.match(f.advice!, /stop that process, or set REHEARSE_LOCAL_PORT to a free port/);
});

test('ports: the default port held by someone else is only a warning (the replica moves)', async () => {
  await hold(18080); // by us, or already by someone else: busy either way
  const f = await checkPorts({ REHEARSE_STATE_DIR: path.join(tempDir('rehearse-doctor-ports-'), 'state') });
  assert.equal(f.status, 'warn');
  assert.match(f.detail, /port 18080 \(the balancer\) is taken by/);
  assert.match(f.advice!, /picks the next free range/);
});

test('disk: too little space fails, little warns, both say where', () => {
  const needs = [
    { what: 'state dir', dir: '/s', failBelowMb: 500, warnBelowMb: 2000 },
    { what: 'runs dir', dir: '/r', failBelowMb: 100, warnBelowMb: 1000 },
  ];
  const f = checkDisk(needs, (d) => (d === '/s' ? 400 : 5000));
  assert.equal(f.status, 'fail');
  assert.equal(f.detail, 'state dir /s: 400 MB free, needs 500 MB');
  assert.match(f.advice!, /--runs-dir, REHEARSE_STATE_DIR/);
  assert.equal(checkDisk(needs, (d) => (d === '/r' ? 500 : 5000)).status, 'warn');
  assert.equal(checkDisk(needs, () => 5000).status, 'ok');
});

test('text output: one line per check, advice under it, a last line that says ready or not', () => {
  const text = renderText([checkNode('18.0.0'), checkUser(true)]);
  assert.match(text, /^FAIL  node  Node 18\.0\.0 is older than 20\.10\.0\n {12}→ install Node/);
  assert.match(text, /\nok    user  root: MariaDB runs as mysql/);
  assert.match(text, /1 problem\(s\) stop a rehearsal here/);
  assert.match(renderText([checkUser(true)]), /\nready\n$/);
});
