// Splitting a plan across N runners with k6's execution segments: the sequence "0,1/N,…,1" and
// segment i = "i/N:(i+1)/N". Every runner passes the same sequence, so k6 hands out the
// arrivals of ramping-arrival-rate without gaps or overlaps. Pure.

export interface Segmentation {
  sequence: string;
  segments: string[];
  /** Fraction of the plan each segment runs. */
  shares: number[];
}

const frac = (i: number, n: number) => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`);

export function segmentsFor(runners: number): Segmentation {
  if (!Number.isInteger(runners) || runners < 1 || runners > 256)
    throw new RangeError(`runners must be a whole number from 1 to 256, got ${runners}`);
  const points = Array.from({ length: runners + 1 }, (_, i) => frac(i, runners));
  return {
    sequence: points.join(','),
    segments: points.slice(0, -1).map((p, i) => `${p}:${points[i + 1]}`),
    shares: Array.from({ length: runners }, () => 1 / runners),
  };
}
