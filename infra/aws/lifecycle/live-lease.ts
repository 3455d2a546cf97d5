// A rehearsal in progress on this machine holds a lease: live.json in its state directory with the
// holder's pid. `rehearse reap` never touches a rehearsal whose lease holder is still running, however
// old its id says it is. (Across machines the rehearse:expires-at tag does the same job.)
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const LEASE = 'live.json';

/** Takes the lease for a rehearsal's state directory; returns the release. */
export function holdLease(rehearsalDir: string, what: string): () => void {
  mkdirSync(rehearsalDir, { recursive: true });
  const file = join(rehearsalDir, LEASE);
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() })}\n`);
  return () => {
    // Only our own lease: a later holder may have replaced it.
    if (leaseHolder(rehearsalDir) === process.pid) rmSync(file, { force: true });
  };
}

/** The pid holding a rehearsal's lease, if that process is still running. */
export function leaseHolder(rehearsalDir: string): number | undefined {
  const file = join(rehearsalDir, LEASE);
  if (!existsSync(file)) return undefined;
  try {
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive but someone else's; anything else (ESRCH, bad JSON): no live holder.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? -1 : undefined;
  }
}

/** Rehearsal ids under a state root whose lease holder is running. */
export function liveRehearsals(stateRoot: string): string[] {
  if (!existsSync(stateRoot)) return [];
  return readdirSync(stateRoot).filter((id) => leaseHolder(join(stateRoot, id)) !== undefined);
}
