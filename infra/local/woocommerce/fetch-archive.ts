// Downloads a pinned archive (official URL, or a mirror's), checks its SHA-256 against the pin and
// keeps it in a cache directory; a cached archive is re-checked, never trusted. Nothing is kept
// unless it matches: the download goes to a .part file, renamed only once verified.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError, RunError } from '../../../errors/errors.ts';
import { MIRROR_ENV, PINS_FILE, type ArchivePin } from './pins.ts';

export interface FetchOptions {
  /** Where verified archives are kept (e.g. <state dir>/downloads). */
  cacheDir: string;
  /** Base URL of a mirror holding the archives by file name; default env REHEARSE_WP_MIRROR, else the official URLs. */
  mirror?: string;
  log?: (line: string) => void;
  /** Give up on a download after this long; default 10 minutes. */
  timeoutMs?: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The URL an archive is fetched from: under the mirror when one is set, else its official URL. */
export function archiveUrl(pin: ArchivePin, mirror = process.env[MIRROR_ENV]): string {
  if (!mirror) return pin.url;
  let base: URL;
  try {
    base = new URL(mirror);
  } catch {
    throw new InputError(`${MIRROR_ENV} "${mirror}" is not a URL — write it like https://mirror.example.com/wp/`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new InputError(`${MIRROR_ENV} "${mirror}" must start with http:// or https://`);
  }
  return `${mirror.replace(/\/+$/, '')}/${pin.file}`;
}

/** Refuses a pin whose checksum is not filled in, naming the file and field to fill. */
export function checkPinned(pin: ArchivePin): string {
  if (pin.sha256 === null || !SHA256.test(pin.sha256)) {
    throw new InputError(
      `${pin.label} ${pin.version} has no SHA-256 to check its download against ` +
        `(${PINS_FILE}, field sha256 of ${pin.file}). Fill it in: on a machine with internet run ` +
        `\`curl -fsSLO ${pin.url} && sha256sum ${pin.file}\` and write the 64 hex digits there.`,
    );
  }
  return pin.sha256;
}

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** The verified archive's path in the cache, downloading it when the cache has no good copy. */
export async function fetchArchive(pin: ArchivePin, o: FetchOptions): Promise<string> {
  const want = checkPinned(pin);
  const url = archiveUrl(pin, o.mirror ?? process.env[MIRROR_ENV]);
  fs.mkdirSync(o.cacheDir, { recursive: true });
  const target = path.join(o.cacheDir, pin.file);
  if (fs.existsSync(target)) {
    if ((await sha256Of(target)) === want) return target;
    fs.rmSync(target); // a stale or damaged copy: fetch again
  }
  o.log?.(`downloading ${pin.label} ${pin.version} from ${url}`);
  const part = `${target}.part`;
  fs.rmSync(part, { force: true });
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(o.timeoutMs ?? 600_000) });
  } catch (e) {
    throw new RunError(
      `could not download ${pin.label} ${pin.version} from ${url}: ${(e as Error).message}. ` +
        `Without internet, put ${pin.file} on a reachable server and point ${MIRROR_ENV} at it.`,
    );
  }
  if (!res.ok || !res.body) {
    throw new RunError(
      `downloading ${pin.label} ${pin.version} from ${url} answered HTTP ${res.status}: ` +
        `check that the mirror holds ${pin.file} (${MIRROR_ENV}), or unset it to use ${pin.url}.`,
    );
  }
  const h = createHash('sha256');
  const out = fs.createWriteStream(part);
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      h.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((ok) => out.once('drain', () => ok()));
    }
  } finally {
    await new Promise<void>((ok) => out.end(() => ok()));
  }
  const got = h.digest('hex');
  if (got !== want) {
    fs.rmSync(part, { force: true });
    throw new RunError(
      `${pin.label} ${pin.version} from ${url} has SHA-256 ${got}, but ${PINS_FILE} pins ${want}: ` +
        'the download was damaged or is not the official archive — nothing was unpacked. ' +
        'Check the mirror, or the pin if you changed the version.',
    );
  }
  fs.renameSync(part, target);
  return target;
}
