// Finds a k6 that fits (2.x, at least the pinned minor) or builds the pinned one from the Go
// module proxy into .tools/bin. TypeScript code imports findK6 from here too: one resolver.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capture, run, say } from './run-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pinFile = join(root, 'tools', 'k6', 'go.mod');
export const localK6 = join(root, '.tools', 'bin', 'k6');

export function pinnedK6Version() {
  const m = readFileSync(pinFile, 'utf8').match(/go\.k6\.io\/k6\/v2 (v\d+\.\d+\.\d+)/);
  if (!m) throw new Error(`${pinFile}: no "go.k6.io/k6/v2 vX.Y.Z" requirement; restore it from git`);
  return m[1];
}

export function k6Version(bin) {
  const out = capture(bin, ['version']);
  const m = out?.match(/k6 v(\d+)\.(\d+)\.(\d+)/);
  return m ? m.slice(1, 4).map(Number) : null;
}

/** A k6 fits when it is 2.x and not older than the pinned version (the scripts use its features). */
export function fits(version, pinned = pinnedK6Version()) {
  if (!version) return false;
  const want = pinned.slice(1).split('.').map(Number);
  if (version[0] !== want[0]) return false;
  return version[1] > want[1] || (version[1] === want[1] && version[2] >= want[2]);
}

/** The k6 to run: $REHEARSE_K6, then a fitting k6 on PATH, then the one built into .tools/bin. */
export function findK6() {
  const candidates = [process.env.REHEARSE_K6, 'k6', localK6].filter(Boolean);
  for (const bin of candidates) {
    if (bin !== 'k6' && !existsSync(bin)) continue;
    if (fits(k6Version(bin))) return bin;
  }
  return null;
}

export function ensureK6() {
  const found = findK6();
  if (found) return found;
  const version = pinnedK6Version();
  if (!capture('go', ['version'])) {
    throw new Error(`k6 ${version} is needed and Go is not installed to build it.\n` +
      `Install Go ≥ 1.25 (or put k6 2.x on PATH, or set REHEARSE_K6) and run the command again.`);
  }
  say(`building k6 ${version} from the Go module proxy into .tools/bin (once, ~3 min)`);
  // tools/k6/go.sum pins every module; -mod=readonly refuses to drift from it.
  run('go', ['build', '-mod=readonly', '-trimpath', '-o', localK6, 'go.k6.io/k6/v2'], {
    cwd: join(root, 'tools', 'k6'),
    env: { ...process.env, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' },
  });
  if (!fits(k6Version(localK6))) throw new Error(`built ${localK6} but it does not report k6 ${version}`);
  return localK6;
}
