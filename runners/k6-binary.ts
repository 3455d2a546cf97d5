// The k6 to run: one resolver shared with the installer (scripts/install/k6.mjs).
import { RunError } from '../errors/errors.ts';
// @ts-expect-error plain ESM helper without type declarations
import { findK6, pinnedK6Version } from '../scripts/install/k6.mjs';

export function k6Binary(): string {
  const bin = (findK6 as () => string | null)();
  if (!bin) {
    throw new RunError(`no k6 2.x found (wanted ${(pinnedK6Version as () => string)()} or newer). ` +
      'Run `npm run rehearsal` or `npm test` once (they build it into .tools/bin), or set REHEARSE_K6.');
  }
  return bin;
}
