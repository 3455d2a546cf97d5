// The CSV reader's cache of tag objects, keyed by the raw bytes of a line's tag columns. A k6 run
// has a few hundred distinct tag tails but millions of lines, so the lookup must not make a
// string per line: it hashes the bytes four at a time and confirms a hit by comparing them with
// a stored copy. Bounded: when full it starts over (unbounded tag sets must not grow memory).

import { sameBytes } from './csv-bytes.ts';
import type { SampleTags } from './k6-sample.ts';

const SLOTS = 8192; // power of two, twice the entry limit: probes stay short
const MAX_ENTRIES = SLOTS / 2;

interface Entry {
  hash: number;
  key: DataView;
  tags: SampleTags;
}

/** Hash of view[start, end): 32-bit words mixed multiplicatively, then murmur3's finaliser. */
export function hashBytes(view: DataView, start: number, end: number): number {
  let h = (end - start) ^ 0x9747b28c;
  let i = start;
  for (; i + 4 <= end; i += 4) h = Math.imul(h ^ view.getInt32(i, true), 0x01000193);
  for (; i < end; i++) h = Math.imul(h ^ view.getUint8(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class TagTable {
  private slots: Array<Entry | undefined> = new Array(SLOTS);
  private entries = 0;

  /** Tags stored for the bytes view[start, end), or undefined. */
  find(view: DataView, start: number, end: number): SampleTags | undefined {
    const hash = hashBytes(view, start, end);
    for (let s = hash & (SLOTS - 1); ; s = (s + 1) & (SLOTS - 1)) {
      const e = this.slots[s];
      if (e === undefined) return undefined;
      if (e.hash === hash && sameBytes(e.key, 0, e.key.byteLength, view, start, end)) return e.tags;
    }
  }

  /** Stores tags for the bytes view[start, end) (copied). Call after find() missed. */
  add(view: DataView, start: number, end: number, tags: SampleTags): void {
    if (this.entries >= MAX_ENTRIES) this.clear();
    const hash = hashBytes(view, start, end);
    const copy = new Uint8Array(end - start);
    copy.set(new Uint8Array(view.buffer, view.byteOffset + start, end - start));
    let s = hash & (SLOTS - 1);
    while (this.slots[s] !== undefined) s = (s + 1) & (SLOTS - 1);
    this.slots[s] = { hash, key: new DataView(copy.buffer), tags };
    this.entries++;
  }

  get size(): number {
    return this.entries;
  }

  clear(): void {
    this.slots = new Array(SLOTS);
    this.entries = 0;
  }
}
