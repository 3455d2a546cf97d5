// The profile's shape as numbers: a piecewise-linear curve of relative arrival rate over the
// span, in real-world seconds. Pure.

import type { Profile } from './profile-schema.ts';
import { parseAtS, parseDurationS } from './profile-time.ts';

export interface CurvePoint {
  /** Seconds since the start of the span (real-world time). */
  tS: number;
  /** Relative arrival rate, 0..1 (1 = peak). */
  rate: number;
}

export interface Curve {
  spanS: number;
  points: CurvePoint[];
}

/** A validated profile's curve (validateProfile guarantees every time parses). */
export function profileCurve(profile: Profile): Curve {
  return {
    spanS: parseDurationS(profile.span)!,
    points: profile.shape.map((p) => ({ tS: parseAtS(p.at)!, rate: p.rate })),
  };
}

/** ∫ rate dt over the span, in "peak-seconds" (trapezoids: the curve is piecewise linear). */
export function curveIntegral(curve: Curve): number {
  let sum = 0;
  for (let i = 1; i < curve.points.length; i++) {
    const a = curve.points[i - 1]!;
    const b = curve.points[i]!;
    sum += ((a.rate + b.rate) / 2) * (b.tS - a.tS);
  }
  return sum;
}
