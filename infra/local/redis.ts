// Redis for the replica: unix socket only, no persistence.
import fs from 'node:fs';
import { runningPid, spawnDaemon, stillStarting } from './daemon.ts';
import { logFile, pidFile, type Layout } from './layout.ts';
import { runAs, serviceIds } from './privilege.ts';
import { unixRequest, waitFor } from './readiness.ts';
import { redisConfig } from './redis-config.ts';

export const REDIS = 'redis';

export function redisPid(layout: Layout): number | undefined {
  return runningPid(pidFile(layout, REDIS));
}

export async function startRedis(layout: Layout): Promise<number> {
  const running = redisPid(layout);
  if (running) return running;
  fs.mkdirSync(layout.redis.dir, { recursive: true });
  guardSocketDir(layout.redis.dir);
  fs.writeFileSync(
    layout.redis.conf,
    redisConfig({ dir: layout.redis.dir, socket: layout.redis.socket, maxMemoryMb: 256 }),
  );
  const rec = await spawnDaemon({
    component: REDIS,
    command: 'redis-server',
    args: [layout.redis.conf],
    logFile: logFile(layout, REDIS),
    pidFile: pidFile(layout, REDIS),
    marker: layout.redis.conf,
    debianPackage: 'redis-server',
  });
  return rec.pid;
}

/**
 * Redis has no password here, so its socket's directory is the lock: redis makes the socket its
 * own (root's) and the PHP workers (www-data) must connect, so the socket is 777 and the directory
 * lets in only root and www-data's group (0750); not root, everything is the invoking user's (0700).
 */
function guardSocketDir(dir: string): void {
  const { root, webUser } = runAs();
  if (root && webUser) {
    fs.chownSync(dir, 0, serviceIds(webUser, 'php8.2-fpm').gid);
    fs.chmodSync(dir, 0o750);
  } else fs.chmodSync(dir, 0o700);
}

export async function waitRedis(layout: Layout, timeoutMs = 10_000): Promise<void> {
  await waitFor({
    component: REDIS,
    what: `PONG on ${layout.redis.socket}`,
    logFile: logFile(layout, REDIS),
    timeoutMs,
    check: async () => (await unixRequest(layout.redis.socket, 'PING\r\nQUIT\r\n', 1000)).startsWith('+PONG'),
    stillRunning: () => stillStarting(pidFile(layout, REDIS)),
  });
}
