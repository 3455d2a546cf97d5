// One telemetry sample of the replica: raw cumulative counters read from cgroups, /proc, HAProxy,
// MariaDB and Redis. Readers are tolerant: a tier that does not answer leaves its field out.
import fs from 'node:fs';
import { cgroupUsageNs, appCgroupName } from '../cgroup.ts';
import { BACKEND } from '../haproxy-config.ts';
import { haproxyCommand, parseStatCsv } from '../haproxy.ts';
import { cgroupRoots } from '../instance.ts';
import type { Layout } from '../layout.ts';
import { mariadbPid } from '../mariadb.ts';
import { mariadbSql } from '../mariadb-client.ts';
import { unixRequest } from '../readiness.ts';
import { redisPid } from '../redis.ts';
import type { Sample } from './records.ts';

export const FRONTEND = 'shop';
export const ORDERS_TABLE = 'wp_rehearse_orders'; // $table_prefix 'wp_' (wp-config.ts) + rehearse_orders

/** utime + stime in clock ticks from the text of /proc/<pid>/stat. */
export function parseCpuTicks(stat: string): number {
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/); // f[0] is field 3
  return Number(f[11]) + Number(f[12]);
}

function cpuTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return parseCpuTicks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export interface BalancerCounters {
  frontend?: Sample['balancer'];
  sessionsByServer: Record<string, number>;
}

export function balancerCounters(csv: string): BalancerCounters {
  const rows = parseStatCsv(csv);
  const fe = rows.find((r) => r.pxname === FRONTEND && r.svname === 'FRONTEND');
  const be = rows.find((r) => r.pxname === BACKEND && r.svname === 'BACKEND');
  const n = (v: string | undefined) => Number(v || 0);
  const sessionsByServer = Object.fromEntries(
    rows
      .filter((r) => r.pxname === BACKEND && r.svname !== 'BACKEND' && r.svname !== 'FRONTEND')
      .map((r) => [r.svname!, n(r.stot)]),
  );
  if (!fe) return { sessionsByServer };
  return {
    frontend: {
      requests: n(fe.req_tot),
      connections: n(fe.stot),
      active: n(fe.scur),
      bytes: n(fe.bin) + n(fe.bout),
      http5xx: n(be?.hrsp_5xx),
    },
    sessionsByServer,
  };
}

/** Threads_connected (minus this query's own) and the orders count (undefined while the table is absent). */
export function parseMariadbOutput(stdout: string): { connections?: number; orders?: number } {
  const lines = stdout.split('\n').filter(Boolean);
  const threads = lines.find((l) => l.startsWith('Threads_connected'));
  const count = lines.find((l) => /^\d+$/.test(l.trim()));
  return {
    ...(threads ? { connections: Math.max(0, Number(threads.split('\t')[1]) - 1) } : {}),
    ...(count !== undefined ? { orders: Number(count) } : {}),
  };
}

async function mariadbCounters(layout: Layout): Promise<{ connections?: number; orders?: number }> {
  const sql = `SHOW GLOBAL STATUS LIKE 'Threads_connected'; SELECT COUNT(*) FROM \`${layout.db.name}\`.\`${ORDERS_TABLE}\``;
  // Without the orders table the client exits 1 after printing the first result: read what it printed.
  const res = await mariadbSql(layout, sql, { raw: true, timeoutMs: 2000 });
  return parseMariadbOutput(res.stdout);
}

export function parseRedisInfo(text: string): { connections?: number; evictions?: number } {
  const num = (k: string) => {
    const m = new RegExp(`^${k}:(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const clients = num('connected_clients');
  const evictions = num('evicted_keys');
  return {
    ...(clients !== undefined ? { connections: Math.max(0, clients - 1) } : {}),
    ...(evictions !== undefined ? { evictions } : {}),
  };
}

async function redisCounters(layout: Layout): Promise<{ connections?: number; evictions?: number }> {
  try {
    return parseRedisInfo(await unixRequest(layout.redis.socket, 'INFO\r\nQUIT\r\n', 1000));
  } catch {
    return {};
  }
}

export interface SampledInstance {
  id: string;
  index: number;
  name: string;
  state: string;
}

export async function takeSample(
  layout: Layout,
  now: number,
  capacity: { desired: number; pending: number; inService: number },
  instances: SampledInstance[],
  statCsv: string | undefined,
): Promise<Sample> {
  const roots = cgroupRoots();
  const bal = statCsv ? balancerCounters(statCsv) : { sessionsByServer: {} as Record<string, number> };
  const [db, cache] = await Promise.all([mariadbCounters(layout), redisCounters(layout)]);
  const dbTicks = cpuTicks(mariadbPid(layout));
  const cacheTicks = cpuTicks(redisPid(layout));
  return {
    v: 1,
    t: now,
    ...capacity,
    instances: instances.map((i) => {
      const usageNs = cgroupUsageNs(roots, appCgroupName(layout.stateDir, i.index));
      const sessions = bal.sessionsByServer[i.name];
      return {
        id: i.id,
        state: i.state,
        share: layout.size.cpu,
        ...(usageNs !== undefined ? { usageNs } : {}),
        ...(sessions !== undefined ? { sessions } : {}),
      };
    }),
    db: {
      ...(dbTicks !== undefined ? { cpuTicks: dbTicks } : {}),
      ...(db.connections !== undefined ? { connections: db.connections } : {}),
    },
    cache: { ...(cacheTicks !== undefined ? { cpuTicks: cacheTicks } : {}), ...cache },
    ...(bal.frontend ? { balancer: bal.frontend } : {}),
    ...(db.orders !== undefined ? { orders: db.orders } : {}),
    clockTicks: 100, // USER_HZ on Linux
  };
}
