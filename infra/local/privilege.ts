// Who the replica's daemons run as, and how its few privileged steps are done.
// As root: MariaDB as mysql, php-fpm and nginx workers as www-data (the Debian way).
// As anyone else: every daemon runs as that user (nothing to chown, no service user needs to
// reach the state dir), and only the cgroup writes go through password-less `sudo -n`; without
// it, app instances run uncapped and the replica says so.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { RunError } from '../../errors/errors.ts';

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export interface RunAs {
  root: boolean;
  /** mariadbd --user; absent: the invoking user. */
  dbUser?: string;
  /** php-fpm and nginx workers' user; absent: the invoking user. */
  webUser?: string;
  /** The MariaDB account with every privilege: unix-socket auth maps it to this OS user. */
  dbAdmin: string;
}

export function runAs(): RunAs {
  if (isRoot()) return { root: true, dbUser: 'mysql', webUser: 'www-data', dbAdmin: 'root' };
  return { root: false, dbAdmin: os.userInfo().username };
}

const ids = new Map<string, { uid: number; gid: number }>();
/** A service user's ids from /etc/passwd (mysql, www-data); the Debian package that creates it is the fix. */
export function serviceIds(user: string, debianPackage: string): { uid: number; gid: number } {
  const known = ids.get(user);
  if (known) return known;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new RunError(`no "${user}" user on this machine; install the Debian package ${debianPackage}`);
  const f = line.split(':');
  const found = { uid: Number(f[2]), gid: Number(f[3]) };
  ids.set(user, found);
  return found;
}

let sudoOk: boolean | undefined;
/** Root, or a user whose `sudo -n` works without a password. */
export function canEscalate(): boolean {
  if (isRoot()) return true;
  sudoOk ??= spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  return sudoOk;
}

/** Runs a command as root (directly, or through sudo -n); returns its exit status and stderr. */
export function runAsRoot(cmd: string, args: string[], input?: string): { status: number | null; stderr: string } {
  const [c, a] = isRoot() ? [cmd, args] : ['sudo', ['-n', cmd, ...args]];
  const res = spawnSync(c, a, { encoding: 'utf8', input, stdio: ['pipe', 'ignore', 'pipe'] });
  return { status: res.error ? null : res.status, stderr: res.error ? res.error.message : res.stderr };
}
