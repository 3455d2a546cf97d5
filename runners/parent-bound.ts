// A child process that cannot outlive the process that started it. Load a runner cannot count
// must not reach the store: when an agent (or the single-runner CLI) dies, however it dies, its
// k6 dies with it.
//
// How: on Linux the child is started under util-linux's `setpriv --pdeathsig SIGKILL`, which
// sets the kernel's parent-death signal (prctl PR_SET_PDEATHSIG) and then execs the command in
// place: same pid, same process group, no extra process. The kernel delivers the signal when the
// parent dies, including by SIGKILL or the OOM killer, which no exit handler of ours would see;
// a process-group kill needs someone alive to send it, and a watchdog process can itself be
// killed. SIGKILL, not SIGINT: with its agent gone nobody uploads k6's samples, so a graceful
// stop (k6 finishing its iterations for up to gracefulStop) would only add uncounted load.
// Node's spawn forks from the main thread, which lives as long as the process, so the signal
// fires on process death and not on a worker thread's exit.
//
// Elsewhere (macOS, no setpriv) the command runs as is and `bound` says so; the controllers
// still stop a lost runner's process group (runners/distributed/local-agents.ts).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface BoundCommand {
  command: string;
  args: string[];
  /** True when the kernel kills the child if its parent dies. */
  bound: boolean;
}

let setprivPath: string | null | undefined;

function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return null;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'setpriv'), constants.X_OK);
      setprivPath = join(dir, 'setpriv');
      break;
    } catch {
      // not here
    }
  }
  return setprivPath;
}

/** command + args, wrapped so that the child gets SIGKILL when this process dies (Linux). */
export function parentBound(command: string, args: string[]): BoundCommand {
  const setpriv = findSetpriv();
  if (setpriv === null) return { command, args, bound: false };
  return { command: setpriv, args: ['--pdeathsig', 'SIGKILL', '--', command, ...args], bound: true };
}
