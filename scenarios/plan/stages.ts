// The profile curve, squeezed into the run's duration, as k6 ramping-arrival-rate stages for one
// journey. k6 stage targets are whole arrivals per timeUnit, so the timeUnit is chosen to keep
// the rounding error small. Pure.

import type { Curve } from '../profile/curve.ts';
import { planError } from './plan-error.ts';
import type { PlanStage } from './plan-schema.ts';

export interface StagedRate {
  startRate: number;
  timeUnit: string;
  stages: PlanStage[];
  /** Journey starts the stages schedule: the integral of the staged curve. */
  arrivals: number;
}

/** Time units tried, finest first; a finer unit reads better, a coarser one rounds less. */
const UNITS: ReadonlyArray<{ label: string; seconds: number }> = [
  { label: '1s', seconds: 1 },
  { label: '1m', seconds: 60 },
  { label: '1h', seconds: 3600 },
];
/** Accept a unit when the staged integral is this close to the exact one… */
const MAX_ROUNDING_ERROR = 0.001;
/** …and the peak target has at least this many steps of resolution. */
const MIN_PEAK_TARGET = 100;

/**
 * Stages for one journey whose rate at the profile's peak is `peakRatePerS` starts per second,
 * with the profile's span compressed into `durationS` seconds.
 */
export function stageCurve(curve: Curve, durationS: number, peakRatePerS: number): StagedRate {
  const compression = curve.spanS / durationS;
  const posMs = curve.points.map((p) => Math.round((p.tS / compression) * 1000));
  for (let i = 1; i < posMs.length; i++) {
    if (posMs[i]! <= posMs[i - 1]!) {
      throw planError(
        'plan options',
        ['durationS'],
        `durationS ${durationS}s is too short for this profile: shape points ${i - 1} and ${i} fall within the same millisecond — use a longer durationS`,
      );
    }
  }
  const rates = curve.points.map((p) => p.rate * peakRatePerS);
  const exact = trapezoids(rates, posMs);

  let best: { unit: (typeof UNITS)[number]; targets: number[]; staged: number; error: number } | undefined;
  for (const unit of UNITS) {
    const targets = rates.map((r) => Math.round(r * unit.seconds));
    const staged = trapezoids(targets, posMs) / unit.seconds;
    const error = exact > 0 ? Math.abs(staged - exact) / exact : 0;
    const candidate = { unit, targets, staged, error };
    if (error <= MAX_ROUNDING_ERROR && Math.max(...targets) >= MIN_PEAK_TARGET) {
      best = candidate;
      break;
    }
    if (!best || error < best.error) best = candidate;
  }
  const { unit, targets, staged } = best!;
  return {
    startRate: targets[0]!,
    timeUnit: unit.label,
    stages: targets.slice(1).map((target, i) => ({ duration: formatK6Duration(posMs[i + 1]! - posMs[i]!), target })),
    arrivals: staged,
  };
}

/**
 * The same journey started `delayMs` later and ended at the same moment: k6 starts an arrival
 * each time the staged integral reaches a whole number, so journeys with the same curve all start
 * on the same instants; a different delay per journey interleaves them. The run's end stays put
 * (runners bound k6 by the plan's duration): the delay is cut from the end of the curve.
 */
export function delayStaged(staged: StagedRate, delayMs: number): StagedRate & { startTime: string } {
  const unitS = UNITS.find((u) => u.label === staged.timeUnit)?.seconds ?? 1;
  const durations = staged.stages.map((s) => k6DurationMs(s.duration));
  const totalMs = durations.reduce((a, b) => a + b, 0);
  const cut = Math.round(delayMs);
  if (cut <= 0 || cut >= totalMs) return { ...staged, startTime: '0s' };
  let keepMs = totalMs - cut;
  const stages: PlanStage[] = [];
  let from = staged.startRate;
  for (const [i, s] of staged.stages.entries()) {
    const d = durations[i]!;
    if (d < keepMs) {
      stages.push(s);
      keepMs -= d;
      from = s.target;
      continue;
    }
    // The last stage kept ends part-way: its target is the curve's rate there.
    stages.push({ duration: formatK6Duration(keepMs), target: Math.round(from + ((s.target - from) * keepMs) / d) });
    break;
  }
  const values = [staged.startRate, ...stages.map((s) => s.target)];
  const pos = [0];
  for (const s of stages) pos.push(pos.at(-1)! + k6DurationMs(s.duration));
  return { ...staged, stages, arrivals: trapezoids(values, pos) / unitS, startTime: formatK6Duration(cut) };
}

/** A k6 duration as formatK6Duration writes it ("1h2m3.5s", "250ms") → milliseconds. */
export function k6DurationMs(d: string): number {
  let ms = 0;
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  for (const [, n, u] of d.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) ms += Number(n) * unitMs[u as keyof typeof unitMs];
  return Math.round(ms);
}

/** ∫ of a piecewise-linear curve given values at positions in ms, per second. */
function trapezoids(values: number[], posMs: number[]): number {
  let sum = 0;
  for (let i = 1; i < values.length; i++)
    sum += ((values[i - 1]! + values[i]!) / 2) * ((posMs[i]! - posMs[i - 1]!) / 1000);
  return sum;
}

/** Milliseconds → a k6 duration: 5400000 → "1h30m", 6250 → "6.25s", 0 → "0s". */
export function formatK6Duration(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const out = (h ? `${h}h` : '') + (m ? `${m}m` : '') + (s ? `${Number(s.toFixed(3))}s` : '');
  return out || '0s';
}
