// The k6 command line that runs a plan: one place that knows the entry script, the env vars it
// reads and the flags Rehearse always passes. Runners spawn what this returns. Pure.

import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** scenarios/k6/entry.ts, absolute. */
export const K6_ENTRY = fileURLToPath(new URL('../k6/entry.ts', import.meta.url));

export interface K6CommandOptions {
  planPath: string;
  /** Where handleSummary writes k6's summary JSON; none if omitted. */
  summaryPath?: string;
  /** The k6 to run: runners/k6-binary.ts finds the one that fits. */
  k6Bin: string;
  /** More k6 flags, e.g. ["--out", "json=samples.json", "--execution-segment", "0:1/2"]. */
  extraArgs?: string[];
}

export interface K6Command {
  command: string;
  args: string[];
  /** Add to the child's environment. */
  env: Record<string, string>;
}

export function k6Command(o: K6CommandOptions): K6Command {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(p));
  const args = ['run', '--no-usage-report', '--no-color', '-e', `REHEARSE_PLAN=${abs(o.planPath)}`];
  if (o.summaryPath) args.push('-e', `REHEARSE_SUMMARY=${abs(o.summaryPath)}`);
  args.push(...(o.extraArgs ?? []), K6_ENTRY);
  return { command: o.k6Bin, args, env: { K6_NO_USAGE_REPORT: 'true' } };
}
