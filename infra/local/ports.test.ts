import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { InputError } from '../../errors/errors.ts';
import { INSTANCE_PORT_OFFSET } from './layout.ts';
import { busyPorts, choosePort, ephemeralPortStart, replicaPorts } from './ports.ts';
import { portHolder } from './proc.ts';
import { freeReplicaPort } from './test-support/free-port.ts';

let base: number;
const servers: net.Server[] = [];
const hold = (port: number) =>
  new Promise<void>((ok, fail) => {
    const s = net
      .createServer()
      .once('error', fail)
      .listen(port, '127.0.0.1', () => ok());
    servers.push(s);
  });

before(async () => {
  base = await freeReplicaPort(4);
  await hold(base + INSTANCE_PORT_OFFSET + 1); // instance app-1's port
});
after(() => servers.forEach((s) => s.close()));

test('replicaPorts: the balancer, then one port per instance slot', () => {
  assert.deepEqual(replicaPorts(18080, 3), [18080, 18100, 18101, 18102]);
});

test('portHolder names the process listening on a port, and nobody on a free one', () => {
  const h = portHolder(base + INSTANCE_PORT_OFFSET + 1);
  assert.equal(h?.pid, process.pid);
  assert.match(h?.command ?? '', /node/);
  assert.equal(portHolder(base), undefined);
});

test('an asked-for port that is taken stops with the holder named (exit 2)', async () => {
  const busy = await busyPorts(base, 4);
  assert.deepEqual(
    busy.map((b) => [b.port, b.role]),
    [[base + INSTANCE_PORT_OFFSET + 1, 'instance app-1']],
  );
  await assert.rejects(
    choosePort(base, 4, true, () => {}),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(
        (e as Error).message,
        new RegExp(`port ${base + 21} \\(instance app-1\\) is taken by pid ${process.pid} \\(.*node`),
      );
      assert.match((e as Error).message, /REHEARSE_LOCAL_PORT/);
      return true;
    },
  );
});

test('a default port that is taken moves to a free range and says so', async () => {
  const lines: string[] = [];
  const port = await choosePort(base, 4, false, (l) => lines.push(l));
  assert.notEqual(port, base);
  assert.deepEqual(await busyPorts(port, 4), []);
  assert.match(lines.join('\n'), new RegExp(`using port ${port} instead`));
  assert.equal(await choosePort(base, 1, true, () => {}), base, 'with one instance the held slot is not needed');
});

test('ephemeralPortStart reads the kernel range, and falls back to 49152 where it cannot', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ports-'));
  await writeFile(join(dir, 'range'), '40000\t60999\n');
  assert.equal(ephemeralPortStart(join(dir, 'range')), 40000);
  assert.equal(ephemeralPortStart(join(dir, 'missing')), 49152);
  await writeFile(join(dir, 'junk'), 'x y\n');
  assert.equal(ephemeralPortStart(join(dir, 'junk')), 49152);
  await rm(dir, { recursive: true });
});

test('a test replica port and its instance ports sit below the ephemeral range', async () => {
  const port = await freeReplicaPort(4);
  assert.ok(port + INSTANCE_PORT_OFFSET + 3 < ephemeralPortStart(), `${port} reaches the ephemeral range`);
});
