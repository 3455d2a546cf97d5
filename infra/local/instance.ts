// One app instance = its own php-fpm master + its own nginx. Started and stopped on its own, so
// the autoscaler can add and remove instances at runtime (through HAProxy's runtime API).
import fs from 'node:fs';
import { appCgroupName, createAppCgroup, detectCgroups, removeAppCgroup, type CgroupRoots } from './cgroup.ts';
import { readPidRecord, runningPid, spawnDaemon, stillStarting, stopDaemon } from './daemon.ts';
import { instanceLayout, logFile, pidFile, type InstanceLayout, type Layout } from './layout.ts';
import { nginxConfig } from './nginx-config.ts';
import { phpFpmArgs, phpFpmConfig } from './php-fpm-config.ts';
import { isAlive, readStat, sessionListensOn, sessionMembers } from './proc.ts';
import { canConnect, waitFor } from './readiness.ts';
import { canEscalate, runAs } from './privilege.ts';

export const PHP_FPM_BIN = 'php-fpm8.2';

let roots: CgroupRoots | undefined;
/** Detected once per process; without cgroups instances run uncapped, and we say so once. */
export function cgroupRoots(): CgroupRoots {
  if (roots) return roots;
  roots = detectCgroups();
  if (roots.mode === 'none') {
    process.stderr.write(
      'local replica: no cgroup v1 cpu or v2 cpu.max here: app instances run uncapped (no instance size)\n',
    );
  } else if (!canEscalate()) {
    process.stderr.write(
      'local replica: not root and no password-less sudo for the cgroup writes: app instances run uncapped (no instance size)\n',
    );
    roots = { mode: 'none' };
  }
  return roots;
}

export interface InstancePids {
  name: string;
  port: number;
  fpm?: number;
  nginx?: number;
}

export function instancePids(layout: Layout, index: number): InstancePids {
  const il = instanceLayout(layout, index);
  return {
    name: il.name,
    port: il.port,
    fpm: runningPid(pidFile(layout, il.fpmComponent)),
    nginx: runningPid(pidFile(layout, il.nginxComponent)),
  };
}

function writeConfigs(layout: Layout, il: InstanceLayout): void {
  fs.mkdirSync(il.nginxTemp, { recursive: true });
  fs.writeFileSync(
    il.fpmConf,
    phpFpmConfig({
      poolName: il.name,
      socket: il.fpmSocket,
      errorLog: logFile(layout, il.fpmComponent),
      user: runAs().webUser,
      children: layout.size.fpmChildren,
    }),
  );
  fs.writeFileSync(
    il.nginxConf,
    nginxConfig({
      instanceName: il.name,
      port: il.port,
      docroot: layout.wordpress.docroot,
      fpmSocket: il.fpmSocket,
      pidFile: il.nginxPid,
      errorLog: logFile(layout, il.nginxComponent),
      tempDir: il.nginxTemp,
      user: runAs().webUser,
    }),
  );
}

/** Starts whatever part of instance `index` is not running and waits until both parts accept connections. */
export async function startInstance(layout: Layout, index: number, timeoutMs = 15_000): Promise<InstancePids> {
  const il = instanceLayout(layout, index);
  let pids = instancePids(layout, index);
  if (pids.fpm && pids.nginx) return pids;
  writeConfigs(layout, il);
  // nginx and php-fpm of one instance share one cgroup: the instance's CPU cap, like an EC2 size.
  const cgroup = createAppCgroup(cgroupRoots(), layout.stateDir, index, layout.size.cpu);
  const cgroupProcs = cgroup?.procsFiles;
  if (!pids.fpm) {
    fs.rmSync(il.fpmSocket, { force: true }); // stale from a killed run; nobody listens on it
    await spawnDaemon({
      component: il.fpmComponent,
      command: PHP_FPM_BIN,
      args: phpFpmArgs(il.fpmConf),
      logFile: logFile(layout, il.fpmComponent),
      pidFile: pidFile(layout, il.fpmComponent),
      marker: il.fpmConf, // php-fpm retitles itself "php-fpm: master process (<conf>)"
      debianPackage: 'php8.2-fpm',
      cgroupProcs,
    });
  }
  if (!pids.nginx) {
    await spawnDaemon({
      component: il.nginxComponent,
      command: 'nginx',
      args: ['-c', il.nginxConf, '-e', logFile(layout, il.nginxComponent), '-p', il.dir],
      logFile: logFile(layout, il.nginxComponent),
      pidFile: pidFile(layout, il.nginxComponent),
      marker: il.nginxConf,
      debianPackage: 'nginx-light',
      cgroupProcs,
    });
  }
  await Promise.all([
    waitFor({
      component: il.fpmComponent,
      what: `connections on ${il.fpmSocket}`,
      logFile: logFile(layout, il.fpmComponent),
      timeoutMs,
      check: () => canConnect(il.fpmSocket),
      stillRunning: () => stillStarting(pidFile(layout, il.fpmComponent)),
    }),
    waitFor({
      component: il.nginxComponent,
      what: `connections on 127.0.0.1:${il.port}`,
      logFile: logFile(layout, il.nginxComponent),
      timeoutMs,
      check: async () => {
        const pid = runningPid(pidFile(layout, il.nginxComponent));
        return pid !== undefined && sessionListensOn(pid, il.port); // not a leftover from another run
      },
      stillRunning: () => stillStarting(pidFile(layout, il.nginxComponent)),
    }),
  ]);
  pids = instancePids(layout, index);
  return pids;
}

/**
 * Stops instance `index`: nginx first (no new requests), then php-fpm. The autoscaler must take
 * the server out of HAProxy (drain) before calling this.
 */
export async function stopInstance(layout: Layout, index: number): Promise<void> {
  const il = instanceLayout(layout, index);
  await stopDaemon(pidFile(layout, il.nginxComponent));
  await stopDaemon(pidFile(layout, il.fpmComponent));
  await removeAppCgroup(cgroupRoots(), appCgroupName(layout.stateDir, index));
}

/**
 * A crash: SIGKILL to every process of the instance, pid files left in place (as a dead machine
 * leaves its registration). The balancer's health check and the autoscaler must notice.
 */
export function killInstanceProcesses(layout: Layout, index: number): number[] {
  const il = instanceLayout(layout, index);
  const killed: number[] = [];
  for (const component of [il.nginxComponent, il.fpmComponent]) {
    const rec = readPidRecord(pidFile(layout, component));
    if (!rec) continue;
    const members = sessionMembers(rec.pid).filter((p) => (readStat(p)?.startTime ?? -1) >= rec.startTime);
    for (const p of members) {
      try {
        process.kill(p, 'SIGKILL');
        killed.push(p);
      } catch {
        // already gone
      }
    }
  }
  return killed;
}

export function instanceAlive(layout: Layout, index: number): boolean {
  const p = instancePids(layout, index);
  return p.fpm !== undefined && p.nginx !== undefined && isAlive(p.fpm) && isAlive(p.nginx);
}
