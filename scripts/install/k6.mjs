// Installs the pinned k6 when none fits: the official release archive for this platform (SHA-256
// checked against tools/k6/pin.mjs), or, where that cannot be downloaded (no internet, a platform
// without a pinned checksum), a build from the Go module proxy into .tools/bin.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findK6, fits, k6Version, localK6 } from '../../tools/k6/find-k6.mjs';
import { K6_DOWNLOAD_BASE, K6_RELEASES, K6_VERSION } from '../../tools/k6/pin.mjs';
import { capture, run, say } from './run-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Why a download did not give a k6: the caller then builds it, and says why. */
export class DownloadRefused extends Error {}

/**
 * Downloads the release archive into `dest`, checks its SHA-256 and unpacks the binary there.
 * Throws DownloadRefused when it cannot (no pin for the platform, network, HTTP error, checksum).
 */
export async function downloadK6(
  dest,
  { platform = `${process.platform}-${process.arch}`, base, timeoutMs = 60_000, releases = K6_RELEASES } = {},
) {
  const release = releases[platform];
  if (!release) throw new DownloadRefused(`no pinned k6 release checksum for ${platform} in tools/k6/pin.mjs`);
  const url = `${(base || process.env.REHEARSE_K6_DOWNLOAD_BASE || K6_DOWNLOAD_BASE).replace(/\/+$/, '')}/${release.archive}`;
  let body;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new DownloadRefused(`${url} answered HTTP ${res.status}`);
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    if (err instanceof DownloadRefused) throw err;
    throw new DownloadRefused(`could not download ${url}: ${err.cause?.code ?? err.message}`);
  }
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== release.sha256) {
    throw new DownloadRefused(
      `${url}: SHA-256 ${sha256} is not the pinned ${release.sha256} (tools/k6/pin.mjs); the file was not used`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'rehearse-k6-'));
  try {
    const archive = join(work, release.archive);
    writeFileSync(archive, body);
    const untar = spawnSync('tar', ['-xzf', archive, '-C', work, release.member], { encoding: 'utf8' });
    if (untar.status !== 0) throw new DownloadRefused(`${url}: not a k6 archive (${untar.stderr.trim()})`);
    mkdirSync(dirname(dest), { recursive: true });
    // Copy beside the destination, then rename: a half-written k6 never sits at `dest`.
    copyFileSync(join(work, release.member), `${dest}.part`);
    chmodSync(`${dest}.part`, 0o755);
    renameSync(`${dest}.part`, dest);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dest;
}

function buildK6(dest) {
  if (!capture('go', ['version'])) {
    throw new Error(
      `k6 ${K6_VERSION} is needed: it could not be downloaded and Go is not installed to build it.\n` +
        'Install Go ≥ 1.25, or put k6 2.x on PATH, or set REHEARSE_K6, and run the command again.',
    );
  }
  say(`building k6 ${K6_VERSION} from the Go module proxy into .tools/bin (once, ~3 min)`);
  // tools/k6/go.sum pins every module; -mod=readonly refuses to drift from it.
  run('go', ['build', '-mod=readonly', '-trimpath', '-o', dest, 'go.k6.io/k6/v2'], {
    cwd: join(root, 'tools', 'k6'),
    env: { ...process.env, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' },
  });
}

export async function ensureK6() {
  const found = findK6();
  if (found) return found;
  try {
    say(`downloading k6 ${K6_VERSION} (official release, SHA-256 checked) into .tools/bin`);
    await downloadK6(localK6);
  } catch (err) {
    if (!(err instanceof DownloadRefused)) throw err;
    say(`${err.message}; building it instead`);
    buildK6(localK6);
  }
  if (!fits(k6Version(localK6))) throw new Error(`installed ${localK6} but it does not report k6 ${K6_VERSION}`);
  return localK6;
}
