// One function per thing a rehearsal on the local replica needs. Each returns a Finding with
// advice; inputs (versions, paths, environment) are parameters so tests can show every finding.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { detectCgroups, probeCgroup } from '../../infra/local/cgroup.ts';
import { canEscalate, isRoot } from '../../infra/local/privilege.ts';
import { DEFAULT_INSTANCES, REPO_ROOT, resolveLayout } from '../../infra/local/layout.ts';
import { busyPorts, describeBusy } from '../../infra/local/ports.ts';
import { status as replicaStatus } from '../../infra/local/replica.ts';
import { chooseStateDir, firstUnsearchable } from '../../infra/local/state-dir.ts';
import { dpkgAvailable, FORBIDDEN, missingPackages, packagesFor } from '../../scripts/install/debian.mjs';
import { findK6, k6Version, localK6 } from '../../tools/k6/find-k6.mjs';
import { K6_VERSION } from '../../tools/k6/pin.mjs';
import type { Finding } from './finding.ts';

/** package.json "engines": the oldest Node the code runs on (fs.statfs, test runner features). */
export const MIN_NODE = '20.10.0';

const newer = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.replace(/^v/, '').split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return (x![i] ?? 0) > (y![i] ?? 0);
  return true;
};

export function checkNode(version = process.versions.node): Finding {
  if (newer(version, MIN_NODE)) return { check: 'node', status: 'ok', detail: `Node ${version}` };
  return {
    check: 'node',
    status: 'fail',
    detail: `Node ${version} is older than ${MIN_NODE}`,
    advice: `install Node ${MIN_NODE} or newer (e.g. Debian's nodejs from NodeSource, or nvm)`,
  };
}

/** Who the daemons will run as; a replica another user started can only be stopped by them. */
export function checkUser(root = isRoot(), name = os.userInfo().username): Finding {
  if (root)
    return {
      check: 'user',
      status: 'ok',
      detail: 'root: MariaDB runs as mysql, php-fpm and nginx workers as www-data',
    };
  return {
    check: 'user',
    status: 'ok',
    detail: `${name}: every daemon of the replica runs as ${name}; nothing runs as root but the cgroup writes (sudo -n)`,
  };
}

export interface PackageProbe {
  available: () => boolean;
  missing: (names: string[]) => string[];
}
const dpkg: PackageProbe = { available: dpkgAvailable, missing: missingPackages };

export function checkPackages(groups: string[] = ['replica', 'report'], probe: PackageProbe = dpkg): Finding {
  const names: string[] = packagesFor(groups);
  if (!probe.available()) {
    return {
      check: 'packages',
      status: 'warn',
      detail: 'no dpkg-query: cannot tell whether the Debian packages are there',
      advice: `the replica is made for Debian 12; it needs ${names.join(' ')}`,
    };
  }
  const missing = probe.missing(names);
  if (missing.length === 0)
    return {
      check: 'packages',
      status: 'ok',
      detail: `${names.length} Debian packages installed (${groups.join(', ')})`,
    };
  const forbid = FORBIDDEN.map((p: string) => `${p}-`).join(' ');
  return {
    check: 'packages',
    status: 'fail',
    detail: `missing Debian packages: ${missing.join(' ')}`,
    advice: `run 'npm run rehearsal' (it installs them, starting no service), or as root: apt-get install --no-install-recommends ${missing.join(' ')} ${forbid}`,
  };
}

export function checkK6(env: NodeJS.ProcessEnv = process.env): Finding {
  const pinned = K6_VERSION;
  const found = findK6(env);
  if (!found) {
    const asked = env.REHEARSE_K6 ? ` (REHEARSE_K6=${env.REHEARSE_K6} is missing or not k6 2.x ≥ ${pinned})` : '';
    return {
      check: 'k6',
      status: 'fail',
      detail: `no k6 2.x at least ${pinned} on PATH, in REHEARSE_K6 or in .tools/bin${asked}`,
      advice: `run 'npm run rehearsal' once (it downloads k6 ${pinned}, or builds it with Go ≥ 1.25), or put k6 ${pinned} on PATH, or set REHEARSE_K6`,
    };
  }
  const version = (k6Version(found) as number[]).join('.');
  const where =
    found === env.REHEARSE_K6
      ? `REHEARSE_K6 (${found})`
      : found === localK6
        ? `${path.relative(REPO_ROOT, localK6)} (installed from the pinned release, or built from tools/k6/go.mod)`
        : `PATH (${spawnSync('sh', ['-c', 'command -v k6'], { encoding: 'utf8' }).stdout.trim() || 'k6'})`;
  return { check: 'k6', status: 'ok', detail: `k6 v${version} from ${where}` };
}

/** Can we make and cap a cgroup (as root, or through password-less sudo)? */
export function checkCgroup(root = '/sys/fs/cgroup', escalate = canEscalate()): Finding {
  const roots = detectCgroups(root);
  const uncapped =
    'app instances would run uncapped: instance sizes mean nothing and CPU-based autoscaling follows the whole machine';
  if (roots.mode === 'none') {
    return {
      check: 'cgroup',
      status: 'warn',
      detail: `no cgroup CPU control under ${root} (neither v1 cpu nor v2 cpu controller): ${uncapped}`,
      advice:
        'run on a host (or a container started with --cgroupns=host / a writable /sys/fs/cgroup) that offers the cpu controller',
    };
  }
  if (!escalate) {
    return {
      check: 'cgroup',
      status: 'warn',
      detail: `cgroup ${roots.mode} at ${roots.cpu}, but this user is not root and has no password-less sudo: ${uncapped}`,
      advice:
        'run as root, or give this user password-less sudo (a file in /etc/sudoers.d); only the cgroup writes use it',
    };
  }
  const why = probeCgroup(roots);
  if (why) {
    return {
      check: 'cgroup',
      status: 'warn',
      detail: `cgroup ${roots.mode} at ${roots.cpu} is not writable here (${why}): ${uncapped}`,
      advice: 'run on a host whose /sys/fs/cgroup is writable (in Docker: --privileged or a delegated cgroup)',
    };
  }
  const how = isRoot() ? '' : ' through sudo';
  return { check: 'cgroup', status: 'ok', detail: `cgroup ${roots.mode} CPU control at ${roots.cpu}, writable${how}` };
}

export function checkStateDir(env: NodeJS.ProcessEnv = process.env, repoRoot = REPO_ROOT, root = isRoot()): Finding {
  const choice = chooseStateDir(repoRoot, env, undefined, root);
  try {
    resolveLayout({ stateDir: choice.dir }, env); // socket paths must fit
  } catch (e) {
    return {
      check: 'state dir',
      status: 'fail',
      detail: (e as Error).message,
      advice: 'set REHEARSE_STATE_DIR to a shorter path, e.g. /var/lib/rehearse/mine',
    };
  }
  // Started by root, the daemons run as mysql and www-data, who must get in; otherwise as us.
  const blocked = root ? firstUnsearchable(choice.dir) : undefined;
  if (blocked) {
    return {
      check: 'state dir',
      status: 'fail',
      detail: `${choice.dir}: ${blocked} is not searchable by the mysql and www-data users`,
      advice: `run 'chmod o+x ${blocked}', or unset REHEARSE_STATE_DIR (the replica then picks a reachable place itself)`,
    };
  }
  let existing = choice.dir;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!canWrite(existing)) {
    return {
      check: 'state dir',
      status: 'fail',
      detail: `${choice.dir}: ${existing} is not writable by this user`,
      advice: 'set REHEARSE_STATE_DIR to a directory you can write',
    };
  }
  const source = choice.fromEnv
    ? ' (REHEARSE_STATE_DIR)'
    : choice.movedBecause
      ? ` (the checkout is out of reach: ${choice.movedBecause} is not searchable by others)`
      : '';
  return { check: 'state dir', status: 'ok', detail: `${choice.dir}${source}` };
}

/** Free, held by this checkout's own replica, or held by someone else (named). */
export async function checkPorts(
  env: NodeJS.ProcessEnv = process.env,
  slots = Math.max(DEFAULT_INSTANCES, 4),
): Promise<Finding> {
  const layout = resolveLayout({}, env);
  const range = `${layout.port} and ${layout.port + 20}-${layout.port + 20 + slots - 1}`;
  const own = await replicaStatus({}).catch(() => undefined);
  if (own?.components.some((c) => c.alive)) {
    return {
      check: 'ports',
      status: 'ok',
      detail: `this checkout's replica is running (${own.running ? own.baseUrl : 'partly'}) and holds its ports`,
    };
  }
  const busy = await busyPorts(layout.port, slots);
  if (busy.length === 0) return { check: 'ports', status: 'ok', detail: `${range} free on 127.0.0.1` };
  const who = busy.map(describeBusy).join('; ');
  if (layout.portAsked) {
    return {
      check: 'ports',
      status: 'fail',
      detail: `${who} (REHEARSE_LOCAL_PORT=${layout.port})`,
      advice:
        'stop that process, or set REHEARSE_LOCAL_PORT to a free port, or unset it and the replica picks free ports',
    };
  }
  return {
    check: 'ports',
    status: 'warn',
    detail: who,
    advice: 'nothing to do: the replica picks the next free range and prints it (set REHEARSE_LOCAL_PORT to choose)',
  };
}

export interface DiskNeed {
  what: string;
  dir: string;
  failBelowMb: number;
  warnBelowMb: number;
}

/** Free space where `dir` is (or will be made): its nearest existing ancestor's file system. */
export function freeMb(dir: string): number {
  let d = path.resolve(dir);
  while (!fs.existsSync(d)) d = path.dirname(d);
  const s = fs.statfsSync(d);
  return Math.floor((s.bavail * s.bsize) / 2 ** 20);
}

export function checkDisk(needs: DiskNeed[], free: (dir: string) => number = freeMb): Finding {
  const measured = needs.map((n) => ({ ...n, free: free(n.dir) }));
  const short = measured.filter((m) => m.free < m.failBelowMb);
  const low = measured.filter((m) => m.free >= m.failBelowMb && m.free < m.warnBelowMb);
  const say = (m: (typeof measured)[number]) => `${m.what} ${m.dir}: ${m.free} MB free`;
  if (short.length) {
    return {
      check: 'disk',
      status: 'fail',
      detail: short.map((m) => `${say(m)}, needs ${m.failBelowMb} MB`).join('; '),
      advice: 'free some space there, or point the run elsewhere (--runs-dir, REHEARSE_STATE_DIR)',
    };
  }
  if (low.length) {
    return {
      check: 'disk',
      status: 'warn',
      detail: low.map((m) => `${say(m)} (a long run may need ${m.warnBelowMb} MB)`).join('; '),
      advice: 'free some space before long rehearsals',
    };
  }
  return { check: 'disk', status: 'ok', detail: measured.map(say).join('; ') };
}

function canWrite(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
