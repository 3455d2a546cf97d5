// The replica's balancer: HAProxy on 127.0.0.1:<port>, plus its runtime API (admin socket).
import fs from 'node:fs';
import { runningPid, spawnDaemon, stillStarting } from './daemon.ts';
import { BACKEND, haproxyConfig } from './haproxy-config.ts';
import { instanceLayout, logFile, pidFile, type Layout } from './layout.ts';
import { sessionListensOn } from './proc.ts';
import { canConnect, unixRequest, waitFor } from './readiness.ts';

export const HAPROXY = 'haproxy';

export function haproxyPid(layout: Layout): number | undefined {
  return runningPid(pidFile(layout, HAPROXY));
}

export async function startHaproxy(layout: Layout, timeoutMs = 10_000): Promise<number> {
  const running = haproxyPid(layout);
  if (running) return running;
  fs.mkdirSync(layout.haproxy.dir, { recursive: true });
  const servers = Array.from({ length: layout.instances }, (_, i) => instanceLayout(layout, i));
  fs.writeFileSync(
    layout.haproxy.conf,
    haproxyConfig({ port: layout.port, adminSocket: layout.haproxy.adminSocket, servers }),
  );
  const rec = await spawnDaemon({
    component: HAPROXY,
    command: 'haproxy',
    args: ['-db', '-f', layout.haproxy.conf], // -db: stay in the foreground, we detach it ourselves
    logFile: logFile(layout, HAPROXY),
    pidFile: pidFile(layout, HAPROXY),
    marker: layout.haproxy.conf,
    debianPackage: 'haproxy',
  });
  await waitFor({
    component: HAPROXY,
    what: `connections on 127.0.0.1:${layout.port} and ${layout.haproxy.adminSocket}`,
    logFile: logFile(layout, HAPROXY),
    timeoutMs,
    check: async () => sessionListensOn(rec.pid, layout.port) && (await canConnect(layout.haproxy.adminSocket)),
    stillRunning: () => stillStarting(pidFile(layout, HAPROXY)),
  });
  return rec.pid;
}

/** One runtime API command (e.g. "show stat", "add server app/app-2 …"); returns HAProxy's answer. */
export function haproxyCommand(layout: Layout, command: string): Promise<string> {
  return unixRequest(layout.haproxy.adminSocket, `${command}\n`);
}

export interface ServerStat {
  name: string;
  status: string; // UP, DOWN, MAINT, …
  totalSessions: number;
  check: string; // last check result, e.g. L7OK
  currentSessions: number;
}

/** Every row of `show stat` CSV as column → value (frontends, backends, servers). */
export function parseStatCsv(csv: string): Array<Record<string, string>> {
  const lines = csv.split('\n').filter(Boolean);
  if (lines.length === 0) return [];
  const header = lines[0]!.replace(/^# /, '').split(',');
  return lines.slice(1).map((l) => {
    const f = l.split(',');
    return Object.fromEntries(header.map((h, i) => [h, f[i] ?? '']));
  });
}

/** Parses `show stat` CSV into the backend's servers. */
export function parseServerStats(csv: string, backend = BACKEND): ServerStat[] {
  const lines = csv.split('\n').filter(Boolean);
  const header = lines[0].replace(/^# /, '').split(',');
  const col = (name: string) => header.indexOf(name);
  return lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => f[col('pxname')] === backend && !['FRONTEND', 'BACKEND'].includes(f[col('svname')]))
    .map((f) => ({
      name: f[col('svname')],
      status: f[col('status')],
      totalSessions: Number(f[col('stot')]),
      check: f[col('check_status')],
      currentSessions: Number(f[col('scur')]),
    }));
}

export async function serverStats(layout: Layout): Promise<ServerStat[]> {
  return parseServerStats(await haproxyCommand(layout, 'show stat'));
}
