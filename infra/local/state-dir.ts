// Where the replica keeps its state: one resolver for up, down, status, telemetry and the doctor.
// Started by root, the replica's daemons run as mysql and www-data, so every directory above the
// state must be searchable by others (o+x). A checkout in a 0700 directory (/root, many homes, a
// mktemp -d) is not: its state then lives under /var/lib/rehearse/, keyed by the checkout's path.
// Started by anyone else, the daemons run as that user (privilege.ts): the checkout is fine.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isRoot } from './privilege.ts';

export const FALLBACK_ROOT = '/var/lib/rehearse';

export interface StateDirChoice {
  dir: string;
  /** Why the state is not in the checkout: the first directory the service users cannot enter. */
  movedBecause?: string;
  /** REHEARSE_STATE_DIR chose it. */
  fromEnv: boolean;
}

/** The first existing directory from `dir` up to / that others cannot search (o+x missing), if any. */
export function firstUnsearchable(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if ((fs.statSync(d).mode & 0o001) === 0) return d;
    } catch {
      // not created yet: up() makes it 0755
    }
    if (d === path.dirname(d)) return undefined;
  }
}

/** The checkout's own fallback: short (sockets must fit in 107 bytes) and stable for that path. */
export function fallbackStateDir(repoRoot: string, root = FALLBACK_ROOT): string {
  const key = crypto.createHash('sha1').update(path.resolve(repoRoot)).digest('hex').slice(0, 12);
  return path.join(root, key);
}

export function chooseStateDir(
  repoRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  fallbackRoot = FALLBACK_ROOT,
  root = isRoot(),
): StateDirChoice {
  if (env.REHEARSE_STATE_DIR) return { dir: path.resolve(env.REHEARSE_STATE_DIR), fromEnv: true };
  const inCheckout = path.join(repoRoot, '.state', 'local');
  if (!root) return { dir: inCheckout, fromEnv: false };
  // .state and .state/local are ours to make 0755; only the checkout and what is above it matter.
  const blocked = firstUnsearchable(repoRoot);
  if (!blocked) return { dir: inCheckout, fromEnv: false };
  return { dir: fallbackStateDir(repoRoot, fallbackRoot), movedBecause: blocked, fromEnv: false };
}

/** One sentence for the log when the state is not in the checkout. */
export function movedNote(choice: StateDirChoice): string | undefined {
  if (!choice.movedBecause) return undefined;
  return (
    `local replica: ${choice.movedBecause} is not searchable by the mysql and www-data users, so the replica's state ` +
    `lives in ${choice.dir} (set REHEARSE_STATE_DIR to choose another place)`
  );
}
