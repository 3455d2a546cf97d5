// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The balancer's retry rules with a real HAProxy on loopback and fake app servers: a request
// whose connection fails is re-sent whatever its method, but a request an app server received
// and then dropped (empty answer) is re-sent only when it is a GET/HEAD — a POST checkout must
// not be placed twice by the platform (issue 15).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { haproxyConfig, serverLine } from './haproxy-config.ts';
import { freeReplicaPort } from './test-support/free-port.ts';

const seen: Array<{ server: string; method: string; path: string }> = [];
const servers: net.Server[] = [];
let haproxy: ChildProcess | undefined;
let port = 0;

/** A fake app server: 200 for the health check and /ok, closes the connection unanswered for /drop. */
function fakeApp(name: string, listenPort: number): Promise<void> {
  const srv = net.createServer((sock) => {
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [method = '', p = ''] = buf.slice(0, buf.indexOf('\r\n')).split(' ');
      const length = Number(/content-length: *(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      buf = buf.slice(end + 4 + length);
      if (!p.startsWith('/rehearse-health')) seen.push({ server: name, method, path: p });
      if (p === '/drop') {
        sock.destroy(); // PHP got the request and the instance died before answering
        return;
      }
      sock.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
    });
    sock.on('error', () => {});
  });
  servers.push(srv);
  return new Promise((r) => srv.listen(listenPort, '127.0.0.1', () => r()));
}

/** One request on a fresh connection (no keep-alive: each request is judged on its own). */
function send(method: string, p: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${p}: no answer in 10 s`)));
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

before(async () => {
  port = await freeReplicaPort(3);
  const dir = tempDir('rehearse-haproxy-retry-');
  const live = [
    { name: 'app-1', port: port + 21 },
    { name: 'app-2', port: port + 22 },
  ];
  await Promise.all(live.map((s) => fakeApp(s.name, s.port)));
  // app-0 has nothing listening and no health check: the moment between an instance's death and
  // the check noticing it, held still so every request to it meets a refused connection.
  const conf = haproxyConfig({
    port,
    adminSocket: path.join(dir, 'admin.sock'),
    servers: [{ name: 'app-0', port: port + 20 }, ...live],
  }).replace(serverLine('app-0', port + 20), `server app-0 127.0.0.1:${port + 20}`);
  fs.writeFileSync(path.join(dir, 'haproxy.cfg'), conf);
  haproxy = spawn('haproxy', ['-db', '-f', path.join(dir, 'haproxy.cfg')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10_000;
  while ((await send('GET', '/ok').catch(() => 0)) !== 200) {
    if (Date.now() > deadline)
      throw new Error('haproxy did not answer on 127.0.0.1; is the Debian package haproxy installed?');
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  haproxy?.kill('SIGKILL');
  for (const s of servers) s.close();
});

test('a refused connection is retried on another server for POST as for GET', async () => {
  seen.length = 0;
  // Round robin over 3 servers: one in three requests first meets app-0's refused connection.
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push(await send(i % 2 ? 'POST' : 'GET', '/ok'));
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200]);
  assert.equal(seen.filter((s) => s.method === 'POST').length, 3, 'each POST reached an app exactly once');
});

test('an empty answer is retried for GET but never replayed for POST', async () => {
  seen.length = 0;
  assert.equal(await send('GET', '/drop'), 502);
  const gets = seen.filter((s) => s.method === 'GET' && s.path === '/drop').length;
  assert.ok(gets >= 2, `a GET dropped without an answer is re-sent (seen ${gets} time(s))`);
  seen.length = 0;
  assert.equal(await send('POST', '/drop'), 502);
  assert.equal(
    seen.filter((s) => s.method === 'POST' && s.path === '/drop').length,
    1,
    'the POST reached PHP once and was not replayed',
  );
});
