// HDR histograms for latency: integer microseconds, 3 significant digits (≤ 0.1 % bucket error),
// auto-resizing so no upper bound has to be guessed. Percentiles are always read from a
// histogram, never averaged: merging runners or seconds is HDR `add`, which is exact.

import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

export const SIGNIFICANT_DIGITS = 3;

/** Whole-run histograms: 64-bit (float) counts, so a long run cannot overflow a bucket. */
export function newTotalHistogram(): Histogram {
  return hdr.build({ numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, bitBucketSize: 64, autoResize: true });
}

/** Per-second histograms: 32-bit counts are plenty for one second. */
export function newSecondHistogram(): Histogram {
  return hdr.build({ numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, bitBucketSize: 32, autoResize: true });
}

/** k6 reports durations in ms (float); histograms hold whole µs. Negative values clamp to 0. */
export function msToMicros(ms: number): number {
  return ms > 0 ? Math.round(ms * 1000) : 0;
}

/** target += source, exactly. Skips empty sources (HDR's add trips on an empty, differently sized one). */
export function addInto(target: Histogram, source: Histogram): void {
  if (source.totalCount > 0) target.add(source);
}

// The JS histogram's bucket accessors: public methods of hdr-histogram-js's JsHistogram, not
// in its Histogram interface.
interface Buckets {
  countsArrayLength: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  countsArrayIndex(value: number): number;
  highestEquivalentValue(value: number): number;
  minNonZeroValue: number;
  /** The counts array of the typed-array histograms (the ones built here); scanned directly when present. */
  _counts?: ArrayLike<number>;
}

const ulp = (x: number) => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/** The 1-based rank HDR reads for percentile p (0 < p <= 100) of n values, as getValueAtPercentile does. */
export function percentileRank(p: number, n: number): number {
  const fp = (Math.min(p, 100) / 100) * n;
  // One ulp off before rounding up, so a rank that is an exact integer is not bumped.
  return Math.max(Math.ceil(fp - ulp(fp)), 1);
}

/**
 * Several percentiles (ascending, 0 < p <= 100) in one pass over the buckets, in ms; identical to
 * getValueAtPercentile for each. The timeline needs three per journey per second, and one scan
 * from the lowest used bucket instead of three from bucket 0 is most of the timeline's cost.
 */
export function percentilesMs(h: Histogram, ps: readonly number[]): Array<number | null> {
  const n = h.totalCount;
  if (n === 0) return ps.map(() => null);
  const b = h as unknown as Buckets;
  const targets = ps.map((p) => percentileRank(p, n));
  const out: Array<number | null> = new Array(ps.length).fill(null);
  let k = 0;
  let seen = 0;
  // Small second-histograms often ask for the top rank (p99 of < 100 values): that is the
  // max's bucket, no scan needed.
  while (targets.length > 0 && targets[targets.length - 1] === n) {
    out[targets.length - 1] = b.highestEquivalentValue(h.maxValue) / 1000;
    targets.pop();
  }
  if (targets.length === 0) return out;
  const start = b.getCountAtIndex(0) > 0 ? 0 : b.countsArrayIndex(b.minNonZeroValue);
  const counts = b._counts;
  const len = b.countsArrayLength;
  let target = targets[0];
  for (let i = start; i < len; i++) {
    seen += counts !== undefined ? counts[i] : b.getCountAtIndex(i);
    while (seen >= target) {
      out[k++] = b.highestEquivalentValue(b.valueFromIndex(i)) / 1000;
      if (k === targets.length) return out;
      target = targets[k];
    }
  }
  return out;
}

export interface LatencyStats {
  /** Number of latency samples (http_req_duration values). */
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Summary in ms. Percentiles are HDR's (upper edge of the bucket holding that rank); max is exact. */
export function latencyStats(h: Histogram): LatencyStats {
  const count = h.totalCount;
  if (count === 0) return { count: 0, mean: null, p50: null, p90: null, p95: null, p99: null, max: null };
  const [p50, p90, p95, p99] = percentilesMs(h, [50, 90, 95, 99]);
  return { count, mean: Math.round(h.mean) / 1000, p50, p90, p95, p99, max: h.maxValue / 1000 };
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Inverse of encodeHistogram (64-bit counts, mergeable with addInto). Counts are exact; maxValue widens to its bucket's upper edge. */
export function decodeHistogram(encoded: string): Histogram {
  const h = hdr.decodeFromCompressedBase64(encoded, 64, false);
  h.autoResize = true;
  return h;
}

/** Reuses per-second histograms: a long run opens thousands of seconds, but only a few at a time. */
export class HistogramPool {
  private readonly free: Histogram[] = [];

  take(): Histogram {
    return this.free.pop() ?? newSecondHistogram();
  }

  give(h: Histogram): void {
    h.reset();
    if (this.free.length < 256) this.free.push(h);
  }
}
