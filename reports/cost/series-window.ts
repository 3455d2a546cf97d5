// Telemetry series as spans of time, and sums of them over any interval.
//
// How a point {t, v} reads (telemetry-schema.ts does not say; this is the reading used here):
// - it covers [t, t + step), step being the series' sampling step (the smallest gap between
//   points, so a gap where CloudWatch left out an empty period stays empty);
// - a "counter" (requests, new connections, processed bytes) is the count within that span,
//   like a CloudWatch Sum whose timestamp starts its period;
// - a "gauge" (active connections) is the level held over that span.
// An interval cutting a span takes the overlapping fraction of a counter.

export type SeriesKind = 'counter' | 'gauge';

export interface Span {
  from: number;
  to: number;
  v: number;
}

export function overlap(a1: number, b1: number, a2: number, b2: number): number {
  return Math.max(0, Math.min(b1, b2) - Math.max(a1, a2));
}

/** Spans of a series; points at one time are merged (counters add, gauges keep the highest). */
export function seriesSpans(
  series: ReadonlyArray<{ t: number; v: number }>,
  kind: SeriesKind,
  defaultStep: number,
): Span[] {
  const pts = [...series].sort((a, b) => a.t - b.t);
  const merged: Array<{ t: number; v: number }> = [];
  for (const p of pts) {
    const last = merged[merged.length - 1];
    if (last && last.t === p.t) last.v = kind === 'counter' ? last.v + p.v : Math.max(last.v, p.v);
    else merged.push({ t: p.t, v: p.v });
  }
  let step = Infinity;
  for (let i = 1; i < merged.length; i++) step = Math.min(step, merged[i]!.t - merged[i - 1]!.t);
  if (!Number.isFinite(step)) step = defaultStep;
  return merged.map((p, i) => {
    const next = merged[i + 1];
    return { from: p.t, to: p.t + (next ? Math.min(step, next.t - p.t) : step), v: p.v };
  });
}

/** A counter's count within [a, b). */
export function counterIn(spans: readonly Span[], a: number, b: number): number {
  let sum = 0;
  for (let i = firstEndingAfter(spans, a); i < spans.length && spans[i]!.from < b; i++) {
    const s = spans[i]!;
    sum += (s.v * overlap(s.from, s.to, a, b)) / (s.to - s.from);
  }
  return sum;
}

/** A gauge's integral over [a, b): level × seconds (no data counts as 0). */
export function gaugeIntegral(spans: readonly Span[], a: number, b: number): number {
  let sum = 0;
  for (let i = firstEndingAfter(spans, a); i < spans.length && spans[i]!.from < b; i++) {
    const s = spans[i]!;
    sum += s.v * overlap(s.from, s.to, a, b);
  }
  return sum;
}

/** Spans are sorted and disjoint: binary search for the first that ends after `a`. */
function firstEndingAfter(spans: readonly Span[], a: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.to <= a) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function amountIn(spans: readonly Span[], kind: SeriesKind, a: number, b: number): number {
  return kind === 'counter' ? counterIn(spans, a, b) : gaugeIntegral(spans, a, b);
}

/** Clock-aligned buckets of `size` seconds that touch [from, to), each clipped to it. */
export function buckets(from: number, to: number, size: number): Array<{ start: number; from: number; to: number }> {
  const out: Array<{ start: number; from: number; to: number }> = [];
  for (let start = Math.floor(from / size) * size; start < to; start += size) {
    out.push({ start, from: Math.max(start, from), to: Math.min(start + size, to) });
  }
  return out;
}
