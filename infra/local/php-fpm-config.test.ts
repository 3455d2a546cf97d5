import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phpFpmArgs, phpFpmConfig } from './php-fpm-config.ts';

const cfg = phpFpmConfig({
  poolName: 'app-0',
  socket: '/s/i/php-fpm.sock',
  errorLog: '/s/logs/php-fpm-app-0.log',
  user: 'www-data',
  children: 2,
});
const lines = cfg.split('\n').map((l) => l.trim());

test('one static pool of 2 workers on a unix socket (no TCP listener)', () => {
  assert.ok(lines.includes('[app-0]'));
  assert.ok(lines.includes('pm = static'));
  assert.ok(lines.includes('pm.max_children = 2'));
  const listen = lines.filter((l) => l.startsWith('listen ='));
  assert.deepEqual(listen, ['listen = /s/i/php-fpm.sock']);
});

test('foreground master, own error log, workers drop to www-data', () => {
  assert.ok(lines.includes('daemonize = no'));
  assert.ok(lines.includes('error_log = /s/logs/php-fpm-app-0.log'));
  assert.ok(lines.includes('user = www-data'));
  assert.ok(!cfg.includes('opcache.enable')); // at pool level it only warns
});

test('opcache is switched on for the master; the config file is named on the command line', () => {
  const args = phpFpmArgs('/s/i/php-fpm.conf');
  assert.ok(args.includes('--nodaemonize'));
  assert.equal(args[args.indexOf('--fpm-config') + 1], '/s/i/php-fpm.conf');
  assert.equal(args[args.indexOf('opcache.enable=1') - 1], '-d');
});

test('started by a user who is not root: no user or socket owner to switch to, the socket still listens', () => {
  const own = phpFpmConfig({ poolName: 'app-0', socket: '/s/i/php-fpm.sock', errorLog: '/s/l.log', children: 2 }).split(
    '\n',
  );
  assert.ok(!own.some((l) => /^(user|group|listen\.owner|listen\.group) =/.test(l)));
  assert.ok(own.includes('listen = /s/i/php-fpm.sock'));
  assert.ok(own.includes('listen.mode = 0660'));
});
