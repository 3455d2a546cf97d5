// The controller's side of the chunk stream: copies each runner's chunks from the store into
// runs/<id>/raw/<runner>/samples.<n>.csv (the names the aggregator reads in numeric order),
// in upload order, each checked against the sha256 in its key, and hands the text to progress.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256 } from '../agent/csv-chunks.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { parseChunkKey, KEYS } from './run-manifest.ts';

export class ChunkCollector {
  /** Next chunk number expected, per runner. */
  private readonly next = new Map<string, number>();
  /** Chunks copied, per runner. */
  readonly copied = new Map<string, number>();
  readonly notes: string[] = [];

  constructor(
    private readonly store: BlobStore,
    private readonly rawDir: string,
    private readonly onChunk: (runner: string, body: Buffer) => void = () => {},
  ) {}

  /**
   * Copies the chunks that arrived since the last call. While runners run, a chunk waits for its
   * predecessor; at the end (final) a missing one is noted and the rest still used.
   */
  async poll(final = false): Promise<void> {
    const byRunner = new Map<string, Array<{ key: string; n: number; sha256: string }>>();
    for (const key of await this.store.list('runners/')) {
      const c = parseChunkKey(key);
      if (c === null) continue;
      const list = byRunner.get(c.runner) ?? [];
      list.push({ key, n: c.n, sha256: c.sha256 });
      byRunner.set(c.runner, list);
    }
    for (const [runner, chunks] of byRunner) {
      chunks.sort((a, b) => a.n - b.n);
      for (const c of chunks) {
        const want = this.next.get(runner) ?? 1;
        if (c.n < want) continue;
        if (c.n > want) {
          if (!final) break;
          this.notes.push(
            `runner ${runner}: chunks ${want}–${c.n - 1} never arrived in ${this.store.where}; the samples after them are still used`,
          );
        }
        await this.copy(runner, c);
        this.next.set(runner, c.n + 1);
      }
    }
  }

  private async copy(runner: string, c: { key: string; n: number; sha256: string }): Promise<void> {
    const body = await this.store.get(c.key);
    if (body === null || sha256(body) !== c.sha256) {
      this.notes.push(
        `${this.store.where} ${c.key}: ${body === null ? 'vanished' : 'sha256 does not match its name (damaged in transit or at rest)'}; not used`,
      );
      return;
    }
    const dir = join(this.rawDir, runner);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `samples.${c.n}.csv`);
    const tmp = join(dir, `.samples.${c.n}.tmp`);
    await writeFile(tmp, body);
    await rename(tmp, path);
    this.copied.set(runner, (this.copied.get(runner) ?? 0) + 1);
    this.onChunk(runner, body);
  }
}

/** Each runner's k6.log from the store into raw/<runner>/ (the agent uploads it at the end). */
export async function collectLogs(store: BlobStore, rawDir: string, runners: string[]): Promise<void> {
  for (const runner of runners) {
    const log = await store.get(KEYS.log(runner));
    if (log === null) continue;
    await mkdir(join(rawDir, runner), { recursive: true });
    await writeFile(join(rawDir, runner, 'k6.log'), log);
  }
}
