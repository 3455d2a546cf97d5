import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKEND, HEALTH_PATH, haproxyConfig, RETRY_ON, serverLine, serverOptions } from './haproxy-config.ts';

const cfg = haproxyConfig({
  port: 18080,
  adminSocket: '/s/haproxy/admin.sock',
  servers: [
    { name: 'app-0', port: 18100 },
    { name: 'app-1', port: 18101 },
  ],
});
const lines = cfg.split('\n').map((l) => l.trim());

test('binds only to 127.0.0.1 and talks to servers on loopback only', () => {
  const binds = lines.filter((l) => l.startsWith('bind '));
  assert.deepEqual(binds, ['bind 127.0.0.1:18080']);
  const servers = lines.filter((l) => l.startsWith('server '));
  assert.equal(servers.length, 2);
  for (const s of servers) assert.match(s, /^server app-\d 127\.0\.0\.1:\d+ /);
});

test('L7 health check on the cheap endpoint, expecting 200', () => {
  assert.equal(HEALTH_PATH, '/rehearse-health.php');
  assert.ok(lines.includes('option httpchk'));
  assert.ok(lines.some((l) => l.startsWith('http-check send') && l.includes(`uri ${HEALTH_PATH}`)));
  assert.ok(lines.includes('http-check expect status 200'));
  for (const s of lines.filter((l) => l.startsWith('server '))) assert.match(s, / check /);
});

test('retries and redispatches while an instance dies (pitfall 8)', () => {
  assert.ok(lines.includes('retries 2'));
  assert.ok(lines.includes('option redispatch 1'));
  assert.ok(lines.includes('balance roundrobin'));
});

test('retries a failed connection for any method, an empty answer or a timeout only for GET/HEAD', () => {
  const retryOn = lines.filter((l) => l.startsWith('retry-on '));
  assert.deepEqual(retryOn, ['retry-on conn-failure empty-response response-timeout']);
  // Anything that can replay a request PHP already ran must be switched off for other methods.
  const l7 = RETRY_ON.split(' ').filter((w) => w !== 'conn-failure');
  assert.ok(l7.length > 0);
  const disable = lines.filter((l) => l.startsWith('http-request disable-l7-retry'));
  assert.deepEqual(disable, ['http-request disable-l7-retry if !METH_GET'], 'POST/PUT/DELETE are never replayed at L7');
  // The rule must sit in the backend that retries (or the frontend feeding it), not in a dead section.
  const backendStart = lines.indexOf(`backend ${BACKEND}`);
  assert.ok(backendStart >= 0 && lines.indexOf(disable[0]!) > backendStart);
  assert.ok(
    !lines.some((l) => /^retry-on .*(all-retryable-errors|junk-response|\b[0-9]{3}\b)/.test(l)),
    'no status-code or junk retries',
  );
});

test('admin runtime socket is a unix socket with level admin', () => {
  assert.ok(lines.includes('stats socket /s/haproxy/admin.sock mode 600 level admin'));
});

test('server options are on every line, not in default-server (runtime add server does not inherit it)', () => {
  assert.ok(!cfg.includes('default-server'));
  assert.equal(serverLine('app-7', 18107), `server app-7 127.0.0.1:18107 ${serverOptions()}`);
  assert.ok(lines.includes(serverLine('app-1', 18101)));
});
