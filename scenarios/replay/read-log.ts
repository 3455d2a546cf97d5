// Streams access logs (plain or gzipped, detected by their first bytes, not their names) line by
// line into a LogDigester: a log of many GB never sits in memory. The I/O edge of from-log.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { LogDigester, type DigestOptions, type LogDigest } from './log-digest.ts';
import { InputError } from '../../errors/errors.ts';

export interface ReadProgress {
  file: string;
  /** Bytes of the file (compressed, for gz) read so far, and its size. */
  bytes: number;
  totalBytes: number;
  lines: number;
}

export class LogReadError extends InputError {}

export async function digestLogs(
  files: string[],
  o: DigestOptions,
  onProgress?: (p: ReadProgress) => void,
): Promise<LogDigest> {
  const digester = new LogDigester(o);
  for (const file of files) await digestOne(file, digester, onProgress);
  return digester.finish();
}

async function digestOne(file: string, digester: LogDigester, onProgress?: (p: ReadProgress) => void): Promise<void> {
  let totalBytes: number;
  try {
    totalBytes = (await stat(file)).size;
  } catch (e) {
    throw new LogReadError(`log ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? e}) — check the path`);
  }
  const raw = createReadStream(file);
  const gz = await isGzip(file);
  const text = gz ? raw.pipe(createGunzip()) : raw;
  const name = basename(file);
  let lines = 0;
  let failure: Error | undefined;
  text.on('error', (e: Error) => {
    failure = new LogReadError(
      `log ${file}: ${gz ? 'not a complete gzip file' : 'read failed'} after line ${lines} (${e.message}) — the lines before it were read; re-copy the file`,
    );
    raw.destroy();
  });
  const reader = createInterface({ input: text, crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      lines++;
      digester.add(line, `${name}:${lines}`);
      if (onProgress && lines % 20_000 === 0) onProgress({ file, bytes: raw.bytesRead, totalBytes, lines });
    }
  } catch (e) {
    failure ??= e as Error;
  }
  if (failure) throw failure;
  onProgress?.({ file, bytes: totalBytes, totalBytes, lines });
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}
