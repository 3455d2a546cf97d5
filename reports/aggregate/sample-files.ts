// Finding and reading runner sample files: runs/<id>/raw/<runner>/samples.csv or samples.csv.gz
// (chunked uploads may add samples.<n>.csv[.gz], read in numeric order as one stream).

import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

export interface RunnerFiles {
  runner: string;
  /** Absolute paths, in reading order. */
  files: string[];
}

const SAMPLE_FILE = /^samples(\..+)?\.csv(\.gz)?$/;
const CHUNK = 1 << 20;

/** notes: receives remarks about ambiguous layouts (e.g. both samples.csv and samples.csv.gz). */
export async function findSampleFiles(runDir: string, notes: string[] = []): Promise<RunnerFiles[]> {
  const raw = join(runDir, 'raw');
  let entries;
  try {
    entries = await readdir(raw, { withFileTypes: true });
  } catch {
    throw new Error(
      `${raw}: not found; a run directory needs raw/<runner>/samples.csv (written by the runners stage, k6 --out csv=...)`,
    );
  }
  const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  const runners: RunnerFiles[] = [];
  for (const dir of entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(byName)) {
    const all = (await readdir(join(raw, dir))).filter((n) => SAMPLE_FILE.test(n));
    // A plain file next to its .gz is the same data twice (compression was under way or a copy
    // was kept): read the plain one, which a crash mid-compression leaves complete.
    const names = all.filter((n) => !(n.endsWith('.gz') && all.includes(n.slice(0, -3)))).sort(byName);
    for (const n of all)
      if (!names.includes(n))
        notes.push(`raw/${dir}/${n}: ignored, raw/${dir}/${n.slice(0, -3)} holds the same samples`);
    if (names.length > 0) runners.push({ runner: dir, files: names.map((n) => join(raw, dir, n)) });
  }
  if (runners.length === 0) {
    throw new Error(`${raw}: no runner sample files; expected raw/<runner>/samples.csv or samples.csv.gz`);
  }
  return runners;
}

/**
 * The file's bytes in chunks of about 1 MiB, gunzipped when the file starts with the gzip magic
 * (whatever its name says). A truncated or damaged gzip stream ends the file early and is
 * reported through onNote instead of failing the whole run.
 */
export async function* readChunks(path: string, onNote: (note: string) => void = () => {}): AsyncGenerator<Buffer> {
  const gz = await isGzip(path);
  const source = createReadStream(path, { highWaterMark: CHUNK });
  if (!gz) {
    yield* source as AsyncIterable<Buffer>;
    return;
  }
  // A runner killed mid-write leaves a stream without its end: zlib still emits everything it
  // could decode and then fails, so the good part is used and the failure becomes a note.
  const gunzip = createGunzip({ chunkSize: CHUNK });
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  let out = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out += chunk.length;
      yield chunk;
    }
  } catch (e) {
    source.destroy();
    onNote(
      `${path}: gzip stream broken after ${out} decompressed bytes (${(e as Error).message}): the file was cut short or damaged; the lines before that point were used`,
    );
  }
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}
