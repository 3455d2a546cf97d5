// The k6 to run: one resolver shared with the installer (tools/k6/find-k6.mjs).
import { RunError } from '../errors/errors.ts';
import { findK6 } from '../tools/k6/find-k6.mjs';
import { K6_VERSION } from '../tools/k6/pin.mjs';

export function k6Binary(): string {
  const bin = findK6();
  if (!bin) {
    throw new RunError(
      `no k6 2.x found (wanted ${K6_VERSION} or newer). ` +
        'Run `npm run rehearsal` or `npm test` once (they install it into .tools/bin), or set REHEARSE_K6.',
    );
  }
  return bin;
}
