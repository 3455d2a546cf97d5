// Lognormal think time, described by its median and 90th percentile. Shared by the Node side
// (expected iteration time for VU sizing) and the k6 side (sampling pauses). Pure: no imports.

/** z-score of the 90th percentile of a standard normal distribution. */
const Z90 = 1.2815515655446004;

/** Samples above this multiple of p90 are clipped, so one freak pause cannot hold a VU for minutes. */
export const THINK_CAP_P90_MULTIPLE = 5;

export interface ThinkTime {
  medianS: number;
  p90S: number;
}

/** σ of the underlying normal: ln(p90 / median) / z90. 0 when there is no spread (or no think time). */
export function lognormalSigma(t: ThinkTime): number {
  if (t.medianS <= 0 || t.p90S <= t.medianS) return 0;
  return Math.log(t.p90S / t.medianS) / Z90;
}

/** Mean of the (unclipped) lognormal: median × e^(σ²/2). */
export function thinkMeanS(t: ThinkTime): number {
  const sigma = lognormalSigma(t);
  return t.medianS * Math.exp((sigma * sigma) / 2);
}

/** One think time in seconds, given a standard normal draw `z`. */
export function thinkFromNormal(t: ThinkTime, z: number): number {
  if (t.medianS <= 0) return 0;
  const s = t.medianS * Math.exp(lognormalSigma(t) * z);
  return Math.min(s, t.p90S * THINK_CAP_P90_MULTIPLE);
}

/** A standard normal draw (Box–Muller) from a uniform source in [0, 1). */
export function standardNormal(random: () => number = Math.random): number {
  const u = 1 - random(); // (0, 1]: log(0) never happens
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
