import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redisConfig } from './redis-config.ts';

const lines = redisConfig({ dir: '/s/redis', socket: '/s/redis/redis.sock', maxMemoryMb: 256 }).split('\n');

test('unix socket only: port 0 means no TCP listener', () => {
  assert.ok(lines.includes('port 0'));
  assert.ok(lines.includes('unixsocket /s/redis/redis.sock'));
  assert.ok(lines.filter((l) => l.startsWith('bind ')).every((l) => l === 'bind 127.0.0.1'));
});

test('no persistence, foreground, config path in the process title', () => {
  assert.ok(lines.includes('save ""'));
  assert.ok(lines.includes('appendonly no'));
  assert.ok(lines.includes('daemonize no'));
  assert.ok(
    lines.includes('proc-title-template "{title} {config-file}"'),
    'no longer than the command line, or it is cut',
  );
});
