import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { instanceLayout, REPO_ROOT, resolveLayout } from './layout.ts';

test('defaults: state under <repo>/.state/local, port 18080, 2 instances on 18100+i', () => {
  const l = resolveLayout({}, {});
  assert.equal(l.stateDir, path.join(REPO_ROOT, '.state', 'local'));
  assert.equal(l.port, 18080);
  assert.equal(l.instances, 2);
  assert.equal(l.baseUrl, 'http://127.0.0.1:18080');
  assert.equal(instanceLayout(l, 0).port, 18100);
  assert.equal(instanceLayout(l, 1).port, 18101);
});

test('env overrides defaults; options override env', () => {
  const env = { REHEARSE_STATE_DIR: '/tmp/x-state', REHEARSE_LOCAL_PORT: '19080' };
  const fromEnv = resolveLayout({}, env);
  assert.equal(fromEnv.stateDir, '/tmp/x-state');
  assert.equal(fromEnv.port, 19080);
  const fromOpts = resolveLayout({ stateDir: '/tmp/y', port: 20080, instances: 3 }, env);
  assert.equal(fromOpts.stateDir, '/tmp/y');
  assert.equal(fromOpts.port, 20080);
  assert.equal(fromOpts.instances, 3);
});

test('instance ports follow the balancer port, so two replicas do not collide', () => {
  const a = resolveLayout({ port: 18080 }, {});
  const b = resolveLayout({ port: 28080 }, {});
  assert.notEqual(instanceLayout(a, 0).port, instanceLayout(b, 0).port);
  assert.equal(instanceLayout(b, 0).port, 28100);
});

test('every path is inside the state dir', () => {
  const l = resolveLayout({ stateDir: '/tmp/s' }, {});
  const il = instanceLayout(l, 0);
  for (const p of [
    l.mariadb.socket,
    l.redis.socket,
    l.haproxy.adminSocket,
    l.catalogue,
    l.sharedUploads,
    il.fpmSocket,
    il.nginxConf,
    l.wordpress.docroot,
  ]) {
    assert.ok(p.startsWith('/tmp/s/'), p);
  }
});

test('rejects bad ports, bad instance counts and socket paths too long for sun_path', () => {
  assert.throws(() => resolveLayout({ port: 80 }, {}), /port 80/);
  assert.throws(() => resolveLayout({}, { REHEARSE_LOCAL_PORT: 'abc' }), /port NaN/);
  assert.throws(() => resolveLayout({ instances: 0 }, {}), /instances=0/);
  assert.throws(() => resolveLayout({ stateDir: '/tmp/' + 'd'.repeat(90) }, {}), /shorter state dir/);
});
