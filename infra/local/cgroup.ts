// CPU-capped cgroups for app instances: an instance "size" like an EC2 type. cgroup v1 (cpu +
// cpuacct hierarchies, as on this machine) or v2 (cpu.max); with neither, instances run uncapped.
// Every cgroup is named rehearse-<hash of the state dir>-app-<i>, so down() finds exactly its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RunError } from '../../errors/errors.ts';
import { isRoot, runAsRoot } from './privilege.ts';

export type CgroupMode = 'v1' | 'v2' | 'none';
export const CFS_PERIOD_US = 100_000;

export interface CgroupRoots {
  mode: CgroupMode;
  /** v1: the cpu hierarchy; v2: the unified root. */
  cpu?: string;
  /** v1: the hierarchy holding cpuacct.usage (separate or co-mounted with cpu). */
  cpuacct?: string;
}

export function detectCgroups(root = '/sys/fs/cgroup'): CgroupRoots {
  const has = (p: string) => fs.existsSync(path.join(root, p));
  if (has('cpu/cpu.cfs_quota_us')) {
    const cpuacct = has('cpuacct/cpuacct.usage') ? 'cpuacct' : has('cpu/cpuacct.usage') ? 'cpu' : undefined;
    return { mode: 'v1', cpu: path.join(root, 'cpu'), ...(cpuacct ? { cpuacct: path.join(root, cpuacct) } : {}) };
  }
  if (has('cpu,cpuacct/cpu.cfs_quota_us')) {
    return { mode: 'v1', cpu: path.join(root, 'cpu,cpuacct'), cpuacct: path.join(root, 'cpu,cpuacct') };
  }
  try {
    if (fs.readFileSync(path.join(root, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu'))
      return { mode: 'v2', cpu: root };
  } catch {
    // no unified hierarchy at the root
  }
  return { mode: 'none' };
}

export function cgroupPrefix(stateDir: string): string {
  return `rehearse-${crypto.createHash('sha1').update(path.resolve(stateDir)).digest('hex').slice(0, 10)}`;
}

export function appCgroupName(stateDir: string, index: number): string {
  return `${cgroupPrefix(stateDir)}-app-${index}`;
}

/** cfs quota for a share of one core; at least 1 ms per period (the kernel's minimum). */
export function quotaUs(cpuShare: number, periodUs = CFS_PERIOD_US): number {
  return Math.max(1000, Math.round(cpuShare * periodUs));
}

/** cgroup v2 `cpu.stat` → usage in ns. */
export function parseV2UsageNs(cpuStat: string): number | undefined {
  const m = /^usage_usec (\d+)$/m.exec(cpuStat);
  return m ? Number(m[1]) * 1000 : undefined;
}

// cgroup files belong to root: a user who is not root writes them through sudo -n (privilege.ts).
function mkdirAsRoot(dir: string): void {
  if (isRoot()) return void fs.mkdirSync(dir, { recursive: true });
  const r = runAsRoot('mkdir', ['-p', dir]);
  if (r.status !== 0) throw new RunError(`cannot create cgroup ${dir} through sudo: ${r.stderr.trim()}`);
}

function writeAsRoot(file: string, text: string): void {
  if (isRoot()) return void fs.writeFileSync(file, text);
  const r = runAsRoot('tee', [file], text);
  if (r.status !== 0) throw new RunError(`cannot write ${file} through sudo: ${r.stderr.trim()}`);
}

/** rmdir as root; the error code (ENOENT, EBUSY, …) or undefined when removed. */
function rmdirAsRoot(dir: string): string | undefined {
  if (isRoot()) {
    try {
      fs.rmdirSync(dir);
      return undefined;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code;
    }
  }
  const r = runAsRoot('rmdir', [dir]);
  if (r.status === 0) return undefined;
  return /No such file/.test(r.stderr) ? 'ENOENT' : /busy/i.test(r.stderr) ? 'EBUSY' : r.stderr.trim() || 'EPERM';
}

/** Can this process make and cap a cgroup? A probe cgroup is made and removed at once; the reason when not. */
export function probeCgroup(roots: CgroupRoots): string | undefined {
  if (roots.mode === 'none') return 'no cgroup cpu controller';
  const probe = path.join(roots.cpu!, `rehearse-probe-${process.pid}`);
  try {
    mkdirAsRoot(probe);
    const capFile = roots.mode === 'v1' ? 'cpu.cfs_quota_us' : 'cpu.max';
    if (!fs.existsSync(path.join(probe, capFile)) && roots.mode === 'v2') {
      // cpu not yet delegated to children: up() enables it in cgroup.subtree_control
      writeAsRoot(path.join(roots.cpu!, 'cgroup.subtree_control'), '+cpu');
    }
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  } finally {
    rmdirAsRoot(probe);
  }
}

export interface AppCgroup {
  name: string;
  /** cgroup.procs files a process must write its pid to (before exec) to be capped and counted. */
  procsFiles: string[];
}

function dirsOf(roots: CgroupRoots, name: string): string[] {
  if (roots.mode === 'none') return [];
  return [...new Set([roots.cpu, roots.cpuacct].filter((d): d is string => !!d).map((d) => path.join(d, name)))];
}

/** Creates (or re-caps) the cgroup of app instance `index`; undefined when cgroups are unavailable. */
export function createAppCgroup(
  roots: CgroupRoots,
  stateDir: string,
  index: number,
  cpuShare: number,
): AppCgroup | undefined {
  if (roots.mode === 'none') return undefined;
  const name = appCgroupName(stateDir, index);
  const dirs = dirsOf(roots, name);
  for (const d of dirs) mkdirAsRoot(d);
  const cpuDir = path.join(roots.cpu!, name);
  if (roots.mode === 'v1') {
    writeAsRoot(path.join(cpuDir, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
    writeAsRoot(path.join(cpuDir, 'cpu.cfs_quota_us'), String(quotaUs(cpuShare)));
  } else {
    // The root must delegate the cpu controller to its children first.
    try {
      writeAsRoot(path.join(roots.cpu!, 'cgroup.subtree_control'), '+cpu');
    } catch {
      // already delegated, or not allowed: cpu.max below then fails with a clear error
    }
    writeAsRoot(path.join(cpuDir, 'cpu.max'), `${quotaUs(cpuShare)} ${CFS_PERIOD_US}`);
  }
  return { name, procsFiles: dirs.map((d) => path.join(d, 'cgroup.procs')) };
}

/** CPU time used by every process ever in the cgroup, ns; undefined when unavailable. */
export function cgroupUsageNs(roots: CgroupRoots, name: string): number | undefined {
  try {
    if (roots.mode === 'v1' && roots.cpuacct)
      return Number(fs.readFileSync(path.join(roots.cpuacct, name, 'cpuacct.usage'), 'utf8'));
    if (roots.mode === 'v2') return parseV2UsageNs(fs.readFileSync(path.join(roots.cpu!, name, 'cpu.stat'), 'utf8'));
  } catch {
    // removed meanwhile
  }
  return undefined;
}

/** Pids still in a cgroup (to say who blocks its removal). */
function procsOf(dir: string): number[] {
  try {
    return fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Removes one app cgroup (retrying while exiting processes leave it). */
export async function removeAppCgroup(roots: CgroupRoots, name: string, timeoutMs = 3000): Promise<void> {
  for (const dir of dirsOf(roots, name)) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = rmdirAsRoot(dir);
      if (code === undefined || code === 'ENOENT') break;
      if (Date.now() > deadline) {
        throw new Error(
          `cannot remove cgroup ${dir} (${code}); processes still in it: ${procsOf(dir).join(' ') || 'none'}`,
        );
      }
      await sleep(50);
    }
  }
}

/** Every cgroup this state dir created (by name prefix), in every hierarchy. */
export function listAppCgroups(roots: CgroupRoots, stateDir: string): string[] {
  const prefix = `${cgroupPrefix(stateDir)}-`;
  const names = new Set<string>();
  for (const root of [roots.cpu, roots.cpuacct]) {
    if (!root) continue;
    try {
      for (const n of fs.readdirSync(root)) if (n.startsWith(prefix)) names.add(n);
    } catch {
      // hierarchy gone
    }
  }
  return [...names].sort();
}

export async function removeAllAppCgroups(roots: CgroupRoots, stateDir: string): Promise<string[]> {
  const names = listAppCgroups(roots, stateDir);
  for (const n of names) await removeAppCgroup(roots, n);
  return names;
}
