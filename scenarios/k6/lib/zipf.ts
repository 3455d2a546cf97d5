// Zipf popularity, pure (no k6 imports, so Node tests it): rank r of n gets weight 1/(r+1)^s.

/** Cumulative normalised weights: cdf[r] = P(rank ≤ r); cdf[n-1] = 1. */
export function zipfCdf(n: number, s: number): number[] {
  const w = Array.from({ length: n }, (_, r) => 1 / Math.pow(r + 1, s));
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / total));
}

/** The first rank whose cumulative weight reaches u ∈ [0, 1) (binary search). */
export function pickRank(cdfAt: (r: number) => number, n: number, u: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdfAt(mid) >= u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Rank → catalogue index by a golden-ratio stride coprime with n: a permutation in which
 * consecutive ranks land far apart, so the doorbusters spread over the categories.
 */
export function rankOrder(n: number): number[] {
  let stride = Math.max(1, Math.round(n * 0.618));
  while (n > 1 && gcd(stride, n) !== 1) stride++;
  return Array.from({ length: n }, (_, r) => (r * stride) % n);
}
