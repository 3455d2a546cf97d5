// test lane: beside (no replica; one redis-server on a unix socket)
// The Redis ACLs the stack gives ElastiCache (cache.ts), applied to a real redis-server 7 on a unix
// socket in a temp dir (no TCP listener): the disabled default user lets nothing in, and the app
// user can run what the redis-cache plugin sends on its own keys, and nothing else.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../../../test-support/temp-dir.ts';
import { redisKeyPrefix } from './app-user-data.ts';
import { appAccessString, DISABLED_DEFAULT_ACCESS } from './cache.ts';

const PREFIX = redisKeyPrefix('bf-2026');
const PASSWORD = 'only-for-this-local-test'; // ElastiCache checks an IAM token instead
const dir = tempDir('rehearse-redis-acl-');
const socket = path.join(dir, 'redis.sock');
let server: ChildProcess | undefined;

type Reply = string | number | null | Error | Reply[];

/** One connection speaking RESP: send a command, read its one reply. */
class Connection {
  private buffer = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.waiting?.();
    });
  }

  static open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ path: socket });
      sock.once('connect', () => resolve(new Connection(sock)));
      sock.once('error', reject);
    });
  }

  async send(...args: string[]): Promise<Reply> {
    this.sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
    const deadline = Date.now() + 5000;
    for (;;) {
      const parsed = parse(this.buffer, 0);
      if (parsed) {
        this.buffer = this.buffer.subarray(parsed[1]);
        return parsed[0];
      }
      assert.ok(Date.now() < deadline, `no reply to ${args[0]} within 5 s`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 100);
      });
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

function parse(b: Buffer, at: number): [Reply, number] | null {
  const eol = b.indexOf('\r\n', at);
  if (eol < 0) return null;
  const line = b.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(b[at]!)) {
    case '+':
      return [line, next];
    case '-':
      return [new Error(line), next];
    case ':':
      return [Number(line), next];
    case '$': {
      const n = Number(line);
      if (n < 0) return [null, next];
      return b.length >= next + n + 2 ? [b.toString('utf8', next, next + n), next + n + 2] : null;
    }
    case '*': {
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < Number(line); i++) {
        const item = parse(b, pos);
        if (!item) return null;
        items.push(item[0]);
        pos = item[1];
      }
      return [items, pos];
    }
    default:
      throw new Error(`not RESP: ${line}`);
  }
}

before(async () => {
  fs.writeFileSync(
    path.join(dir, 'redis.conf'),
    [
      'port 0',
      `unixsocket ${socket}`,
      'unixsocketperm 700',
      'save ""',
      'appendonly no',
      `dir ${dir}`,
      // So that the ACL, not the server's default, is what refuses DEBUG below.
      'enable-debug-command yes',
      `user default ${DISABLED_DEFAULT_ACCESS}`,
      `user app ${appAccessString(PREFIX)} >${PASSWORD}`,
      '',
    ].join('\n'),
  );
  server = spawn('redis-server', [path.join(dir, 'redis.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 10_000;
  while (!fs.existsSync(socket)) {
    assert.ok(
      Date.now() < deadline && server.exitCode === null,
      'redis-server did not start (apt-get install redis-server)',
    );
    await sleep(50);
  }
});

after(() => {
  if (server?.pid && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
});

async function asApp(): Promise<Connection> {
  const c = await Connection.open();
  assert.equal(await c.send('AUTH', 'app', PASSWORD), 'OK');
  return c;
}

const denied = (r: Reply) => r instanceof Error && /^NOPERM/.test(r.message);

test('the disabled default user lets no unauthenticated client run anything', async () => {
  const c = await Connection.open();
  try {
    for (const cmd of [['PING'], ['GET', `${PREFIX}x`], ['FLUSHALL'], ['INFO']]) {
      const r = await c.send(...cmd);
      assert.ok(r instanceof Error && /^NOAUTH/.test(r.message), `${cmd[0]}: ${String(r)}`);
    }
    const r = await c.send('AUTH', 'default', '');
    assert.ok(r instanceof Error, 'the default user cannot log in');
  } finally {
    c.close();
  }
});

test('the app user runs what the redis-cache plugin sends, on its own keys', async () => {
  const c = await asApp();
  const k = (s: string) => `${PREFIX}1:posts:${s}`;
  const metrics = `${PREFIX}redis-cache:metrics`;
  try {
    assert.equal(await c.send('SELECT', '0'), 'OK');
    assert.equal(await c.send('PING'), 'PONG');
    assert.equal(await c.send('SET', k('a'), 'v', 'NX', 'EX', '60'), 'OK');
    assert.equal(await c.send('SETEX', k('b'), '60', 'w'), 'OK');
    assert.equal(await c.send('SET', k('n'), '5'), 'OK');
    assert.deepEqual(await c.send('MGET', k('a'), k('b')), ['v', 'w']);
    assert.equal(await c.send('GET', k('a')), 'v');
    assert.equal(await c.send('EXISTS', k('a')), 1);
    assert.equal(await c.send('INCRBY', k('n'), '2'), 7);
    assert.equal(await c.send('DECRBY', k('n'), '1'), 6);
    assert.equal(await c.send('EXPIRE', k('n'), '60'), 1);
    assert.equal(await c.send('DEL', k('a'), k('b')), 2);
    assert.equal(await c.send('ZADD', metrics, '1', 'm'), 1);
    assert.deepEqual(await c.send('ZRANGEBYSCORE', metrics, '0', '2'), ['m']);
    assert.equal(await c.send('ZCOUNT', metrics, '0', '2'), 1);
    assert.equal(await c.send('ZREMRANGEBYSCORE', metrics, '0', '2'), 1);
    assert.match(String(await c.send('INFO')), /redis_version:/);
    assert.equal(await c.send('FLUSHDB'), 'OK');
  } finally {
    c.close();
  }
});

test('the app user may not touch other keys, scripts, pub/sub or admin commands', async () => {
  const c = await asApp();
  try {
    for (const cmd of [
      ['GET', 'other:key'],
      ['SET', 'session:1', 'x'],
      ['KEYS', '*'],
      ['FLUSHALL'],
      ['CONFIG', 'GET', '*'],
      ['EVAL', 'return 1', '0'],
      ['PUBLISH', 'ch', 'x'],
      ['ACL', 'LIST'],
      ['DEBUG', 'SLEEP', '0'],
      ['MONITOR'],
      ['CLIENT', 'LIST'],
      ['SHUTDOWN'],
    ]) {
      const r = await c.send(...cmd);
      assert.ok(denied(r), `${cmd.join(' ')}: ${String(r)}`);
    }
    assert.equal(await c.send('PING'), 'PONG', 'still connected: every refusal was an ACL refusal');
  } finally {
    c.close();
  }
});
