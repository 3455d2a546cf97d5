// Cutting a growing k6 CSV file into chunks for the store: each chunk is the header line plus
// the whole lines appended since the last cut (a half-written last line waits for the next cut),
// named by its number and sha256 so the reader can check it and put chunks back in order.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface Chunk {
  n: number;
  body: Buffer;
  sha256: string;
  /** http_reqs samples in the chunk. */
  requests: number;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Pure: text → whole lines and the unfinished rest. */
export function splitWhole(text: string): { whole: string[]; rest: string } {
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  return { whole: lines.filter((l) => l !== ''), rest };
}

export class CsvChunker {
  private offset = 0;
  private carry = '';
  private header: string | null = null;
  private next = 1;
  requests = 0;

  constructor(private readonly file: string) {}

  /** The chunk of whole lines since the last cut, or null when there are none yet. */
  async cut(): Promise<Chunk | null> {
    const fh = await open(this.file, 'r').catch(() => null);
    if (fh === null) return null; // k6 has not created the file yet
    let text: string;
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return null;
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
      this.offset += bytesRead;
      text = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await fh.close();
    }
    const { whole, rest } = splitWhole(this.carry + text);
    this.carry = rest;
    if (this.header === null && whole.length > 0) this.header = whole.shift()!;
    if (whole.length === 0) return null;
    let requests = 0;
    for (const l of whole) if (l.startsWith('http_reqs,')) requests++;
    this.requests += requests;
    const body = Buffer.from(`${this.header}\n${whole.join('\n')}\n`);
    return { n: this.next++, body, sha256: sha256(body), requests };
  }

  /** Bytes of an unfinished last line (k6 was stopped mid-write): not uploaded. */
  get unfinished(): number {
    return this.carry.length;
  }
}
