// Small process helpers for the installers. Plain Node on purpose: they run before npm deps exist.
import { spawnSync } from 'node:child_process';

/** Runs a command with inherited output; throws with the command line when it fails. */
export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', ...opts });
  if (res.error) throw new Error(`could not start ${cmd}: ${res.error.message}`);
  if (res.status !== 0) {
    const tail = opts.quiet ? `\n${String(res.stdout ?? '').slice(-2000)}${String(res.stderr ?? '').slice(-2000)}` : '';
    throw new Error(`${cmd} ${args.join(' ')} exited with ${res.status ?? res.signal}${tail}`);
  }
  return res;
}

/** Runs a command and returns its stdout, or null when it cannot run or fails. */
export function capture(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (res.error || res.status !== 0) return null;
  return res.stdout;
}

/** One line per step: quiet in CI, still visible. */
export function say(line) {
  process.stderr.write(`rehearse: ${line}\n`);
}
