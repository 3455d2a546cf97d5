// Latencies of one open second, kept as raw values instead of a histogram. A second holds a few
// hundred values per journey; sorting them when the second closes costs far less than recording
// into an HDR histogram, scanning its ~10k buckets for three percentiles and clearing it again.
// The percentiles are reported exactly as HDR reports them (the upper edge of the bucket holding
// that rank, 3 significant digits), so a point is the same whichever way it was computed.

import { newSecondHistogram, percentileRank, type Histogram } from './hdr-buckets.ts';

/** A growable list of latencies in whole µs, reused from second to second. */
export class LatencyBuffer {
  values = new Float64Array(64);
  length = 0;

  push(micros: number): void {
    if (this.length === this.values.length) this.reserve(this.length + 1);
    this.values[this.length++] = micros;
  }

  /** Appends another buffer's values (the "all journeys" list of a second). */
  append(other: LatencyBuffer): void {
    this.reserve(this.length + other.length);
    this.values.set(other.values.subarray(0, other.length), this.length);
    this.length += other.length;
  }

  /** Room for n values, doubling: a second's list is built by appends of unknown count. */
  private reserve(n: number): void {
    if (n <= this.values.length) return;
    let size = this.values.length * 2;
    while (size < n) size *= 2;
    const grown = new Float64Array(size);
    grown.set(this.values.subarray(0, this.length));
    this.values = grown;
  }

  /** The values in ascending order (sorts in place). */
  sorted(): Float64Array {
    return this.values.subarray(0, this.length).sort();
  }
}

// Bucket edges are a pure function of the histogram's precision (lowest discernible value 1 µs),
// so one empty histogram answers "upper edge of v's bucket" for all of them.
let ruler: Histogram | null = null;

/**
 * Percentiles (0 < p <= 100) of ascending values, in ms: for each, the upper edge of the HDR
 * bucket holding rank max(ceil(p/100 × n), 1), which is what HDR's getValueAtPercentile returns
 * for a histogram of the same values. null for an empty list.
 */
export function sortedPercentilesMs(sorted: ArrayLike<number>, ps: readonly number[]): Array<number | null> {
  const n = sorted.length;
  if (n === 0) return ps.map(() => null);
  ruler ??= newSecondHistogram();
  const edge = ruler as unknown as { highestEquivalentValue(v: number): number };
  return ps.map((p) => edge.highestEquivalentValue(sorted[percentileRank(p, n) - 1]) / 1000);
}

/** Reuses buffers: a long run opens thousands of seconds, but only a few at a time. */
export class LatencyBufferPool {
  private readonly free: LatencyBuffer[] = [];

  take(): LatencyBuffer {
    return this.free.pop() ?? new LatencyBuffer();
  }

  give(b: LatencyBuffer): void {
    b.length = 0;
    // A burst second may have grown a buffer a lot; do not keep it big forever.
    if (b.values.length > 1 << 16) b.values = new Float64Array(64);
    if (this.free.length < 256) this.free.push(b);
  }
}
