// Finds a k6 that fits the pin: $REHEARSE_K6, then k6 on PATH, then the one installed into .tools/bin.
// Shared by the installer and the product (runners/k6-binary.ts). Plain JS: runs before npm deps exist.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { K6_VERSION } from './pin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const localK6 = join(root, '.tools', 'bin', 'k6');

/** [major, minor, patch] that a k6 binary reports, or null when it does not run. */
export function k6Version(bin) {
  const res = spawnSync(bin, ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = res.status === 0 ? res.stdout.match(/k6 v(\d+)\.(\d+)\.(\d+)/) : null;
  return m ? m.slice(1, 4).map(Number) : null;
}

/** A k6 fits when it is the pinned major and not older than the pin (the scripts use its features). */
export function fits(version, pinned = K6_VERSION) {
  if (!version) return false;
  const want = pinned.slice(1).split('.').map(Number);
  if (version[0] !== want[0]) return false;
  return version[1] > want[1] || (version[1] === want[1] && version[2] >= want[2]);
}

export function findK6(env = process.env) {
  const candidates = [env.REHEARSE_K6, 'k6', localK6].filter(Boolean);
  for (const bin of candidates) {
    if (bin !== 'k6' && !existsSync(bin)) continue;
    if (fits(k6Version(bin))) return bin;
  }
  return null;
}
