// Starting and stopping the replica's long-running processes. Each runs in the foreground of
// its own session (detached), writes to its own log file, and is recorded in a pid file with
// its start time and a marker (a path that must appear in its command line), so `down` only
// ever signals processes this code started, even after a pid has been reused.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isRoot } from './privilege.ts';
import { isAlive, readCmdline, readStat, sessionMembers } from './proc.ts';

export interface PidRecord {
  component: string;
  pid: number;
  startTime: number;
  marker: string;
  logFile: string;
}

export interface DaemonSpec {
  component: string;
  command: string;
  args: string[];
  logFile: string;
  pidFile: string;
  marker: string;
  debianPackage: string; // named in the error when the binary is missing
  /** cgroup.procs files to join before exec, so the master and every worker it forks are in them. */
  cgroupProcs?: string[];
}

// A shell that joins the cgroups, then execs the daemon (same pid, same start time): no worker
// can be forked outside the cgroup, which writing the pid after spawn could not promise.
const JOIN_CGROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 97; shift; done; shift; exec "$@"';
// Not root: cgroup.procs belongs to root, so the pid goes in through password-less sudo.
const JOIN_CGROUPS_SUDO =
  'while [ "$1" != -- ]; do echo $$ | sudo -n tee "$1" >/dev/null || exit 97; shift; done; shift; exec "$@"';

function commandLine(spec: DaemonSpec): { command: string; args: string[] } {
  if (!spec.cgroupProcs?.length) return { command: spec.command, args: spec.args };
  const join = isRoot() ? JOIN_CGROUPS : JOIN_CGROUPS_SUDO;
  return {
    command: '/bin/sh',
    args: ['-c', join, 'rehearse-cgroup', ...spec.cgroupProcs, '--', spec.command, ...spec.args],
  };
}

export function readPidRecord(file: string): PidRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** The recorded pid if it is still the very process we started, else undefined. */
export function verifiedPid(rec: PidRecord | undefined): number | undefined {
  if (!rec) return undefined;
  const st = readStat(rec.pid);
  if (!st || st.state === 'Z' || st.startTime !== rec.startTime) return undefined;
  return readCmdline(rec.pid)?.includes(rec.marker) ? rec.pid : undefined;
}

export function runningPid(pidFile: string): number | undefined {
  return verifiedPid(readPidRecord(pidFile));
}

/**
 * For start-up waits: the process we spawned still exists (same pid, same start time). Unlike
 * runningPid it ignores the command line, which a daemon rewrites while it starts (php-fpm
 * retitles itself) and which can read back empty for that instant.
 */
export function stillStarting(pidFile: string): boolean {
  const rec = readPidRecord(pidFile);
  if (!rec) return false;
  const st = readStat(rec.pid);
  return !!st && st.state !== 'Z' && st.startTime === rec.startTime;
}

export async function spawnDaemon(spec: DaemonSpec): Promise<PidRecord> {
  await stopDaemon(spec.pidFile); // workers orphaned by a crashed earlier run would hold its sockets
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  const fd = fs.openSync(spec.logFile, 'a');
  fs.writeSync(fd, `--- ${new Date().toISOString()} starting ${spec.command} ${spec.args.join(' ')}\n`);
  // detached = setsid: a Ctrl-C in the user's terminal does not reach the daemons; down() stops them.
  const cmd = commandLine(spec);
  const child = spawn(cmd.command, cmd.args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
    cwd: path.dirname(spec.logFile),
  });
  fs.closeSync(fd);
  if (child.pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(
      `${spec.component}: cannot run ${spec.command} (${err.message}); install the Debian package ${spec.debianPackage}`,
    );
  }
  child.on('error', () => {}); // already handled above; keep an unhandled 'error' from crashing the caller
  child.unref();
  const st = readStat(child.pid);
  const rec: PidRecord = {
    component: spec.component,
    pid: child.pid,
    startTime: st?.startTime ?? -1,
    marker: spec.marker,
    logFile: spec.logFile,
  };
  fs.writeFileSync(spec.pidFile, JSON.stringify(rec) + '\n');
  return rec;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pids: Array<{ pid: number; startTime: number }>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const alive = () => pids.filter((p) => isAlive(p.pid) && readStat(p.pid)?.startTime === p.startTime);
  while (alive().length > 0) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

export type StopResult = 'not-running' | 'stopped' | 'killed' | 'stale';

/**
 * Stops the process recorded in `pidFile` and every process of its session (workers), then
 * removes the pid file. SIGTERM first; SIGKILL to the stragglers after `timeoutMs`.
 */
export async function stopDaemon(
  pidFile: string,
  opts: { timeoutMs?: number; signal?: NodeJS.Signals } = {},
): Promise<StopResult> {
  const rec = readPidRecord(pidFile);
  if (!rec) return 'not-running';
  const pid = verifiedPid(rec);
  if (pid === undefined && isAlive(rec.pid)) {
    // The pid now belongs to someone else: never signal it. (Our session cannot still have
    // members then: Linux does not reuse a pid while a session of that id exists.)
    fs.rmSync(pidFile, { force: true });
    return 'stale';
  }
  if (pid === undefined) {
    // The leader died (crash, SIGKILL); its workers may live on in its session, holding sockets.
    const orphans = ourSession(rec.pid, rec.startTime);
    if (orphans.length > 0) await terminate(rec.component, orphans, opts.timeoutMs ?? 10_000);
    fs.rmSync(pidFile, { force: true });
    return orphans.length > 0 ? 'killed' : 'not-running';
  }
  // Snapshot the session while the leader is verified: these are exactly the processes it started.
  const members = ourSession(pid, rec.startTime);
  const result = await terminate(rec.component, members, opts.timeoutMs ?? 10_000, opts.signal);
  fs.rmSync(pidFile, { force: true });
  return result;
}

/** Members of session `sid` (the leader's pid) started no earlier than the leader. */
function ourSession(sid: number, leaderStart: number): Array<{ pid: number; startTime: number }> {
  return sessionMembers(sid)
    .map((p) => ({ pid: p, startTime: readStat(p)?.startTime ?? -1 }))
    .filter((m) => m.startTime >= leaderStart)
    .sort((a, b) => Number(b.pid === sid) - Number(a.pid === sid)); // leader first
}

/** Signals the first process (the leader, or all when it is gone), waits, then SIGKILLs what is left. */
async function terminate(
  component: string,
  procs: Array<{ pid: number; startTime: number }>,
  timeoutMs: number,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<StopResult> {
  const signalAll = (sig: NodeJS.Signals, which: typeof procs) => {
    for (const m of which) {
      if (isAlive(m.pid) && readStat(m.pid)?.startTime === m.startTime) {
        try {
          process.kill(m.pid, sig);
        } catch {
          // exited in between
        }
      }
    }
  };
  // A live leader stops its own workers in order; orphans get the signal themselves.
  const leaderAlive = procs.length > 0 && readStat(procs[0].pid)?.sid === procs[0].pid;
  signalAll(signal, leaderAlive ? procs.slice(0, 1) : procs);
  if (await waitGone(procs, timeoutMs)) return 'stopped';
  signalAll('SIGKILL', procs);
  if (!(await waitGone(procs, 5_000))) {
    throw new Error(
      `${component}: pids ${procs.map((p) => p.pid).join(' ')} survived SIGKILL; look at them with 'ps -o pid,stat,cmd -p ...'`,
    );
  }
  return 'killed';
}
