// Every subcommand shares these settings: usage errors throw (exit 2) instead of exiting inside commander.
import { Command, InvalidArgumentError } from 'commander';

export function newCommand(name: string): Command {
  return new Command(name).showHelpAfterError('(run with --help for usage)').exitOverride();
}

/** Log lines go to stderr so stdout stays clean for machine-readable output. */
export const log = (line: string) => process.stderr.write(`${line}\n`);

export function parsePositive(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a positive number, got "${value}"`);
    return n;
  };
}

/** "90s", "2m", "1h30m" or plain seconds → seconds. */
export function parseDuration(value: string): number {
  const plain = Number(value);
  if (Number.isFinite(plain) && plain > 0) return plain;
  const m = value.match(/^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/);
  const s = m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
  if (!m || !(s > 0)) throw new InvalidArgumentError(`"${value}" is not a duration: use e.g. 90s, 2m or 1h30m`);
  return s;
}
