// Capacity from a run: the highest request rate held for a sustained window while every second of
// it met the SLO, what that is per instance in service, and which tier ran hottest. If the SLO
// never broke, the store was not pushed to its limit: the figure is a lower bound, and says so.

import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { SecondState } from './slo-seconds.ts';
import { inServiceAt } from './fleet.ts';

export interface TierSaturation {
  tier: 'app' | 'db' | 'cache';
  /** CPU percent of the tier's capacity (app: mean over instances in each sample). */
  mean: number;
  p95: number;
  max: number;
}

export interface CapacityAnalysis {
  windowS: number;
  /** Mean requests/s of the best window that met the SLO; null when no window did. */
  sustainedRateAtSlo: number | null;
  /** Start of that window (unix s). */
  sustainedFrom: number | null;
  /** True when the SLO never broke: the store may hold more than this. */
  lowerBound: boolean;
  /** Mean instances in service over that window (telemetry); null without telemetry. */
  instancesInService: number | null;
  rpsPerInstanceAtSlo: number | null;
  tiers: TierSaturation[];
  /** The tier with the highest p95 CPU; null without CPU telemetry. */
  bottleneck: TierSaturation | null;
  /** Percent of capacity at which a tier counts as saturated. */
  saturatedAtPct: number;
}

const SATURATED = 80;

export function sustainedWindow(seconds: SecondState[], windowS: number): { rate: number; from: number } | null {
  let best: { rate: number; from: number } | null = null;
  let sum = 0;
  let good = 0;
  for (let i = 0; i < seconds.length; i++) {
    sum += seconds[i].requests;
    if (!seconds[i].breached) good++;
    if (i >= windowS) {
      sum -= seconds[i - windowS].requests;
      if (!seconds[i - windowS].breached) good--;
    }
    if (i >= windowS - 1 && good === windowS) {
      const rate = sum / windowS;
      if (rate > 0 && (best === null || rate > best.rate)) best = { rate, from: seconds[i - windowS + 1].t };
    }
  }
  return best;
}

function stats(tier: TierSaturation['tier'], values: number[]): TierSaturation | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    tier,
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    p95: sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)],
    max: sorted[sorted.length - 1],
  };
}

/** Per tier CPU over [from, to): app is the mean over instances reporting at each timestamp. */
export function tierSaturation(tel: Telemetry, from: number, to: number): TierSaturation[] {
  const inWin = (p: { t: number }) => p.t >= from && p.t < to;
  const byT = new Map<number, number[]>();
  for (const s of Object.values(tel.cpu.perInstance))
    for (const p of s.filter(inWin)) (byT.get(p.t) ?? byT.set(p.t, []).get(p.t)!).push(p.v);
  const app = [...byT.values()].map((vs) => vs.reduce((a, b) => a + b, 0) / vs.length);
  return [
    stats('app', app),
    stats(
      'db',
      tel.cpu.db.filter(inWin).map((p) => p.v),
    ),
    stats(
      'cache',
      tel.cpu.cache.filter(inWin).map((p) => p.v),
    ),
  ].filter((x): x is TierSaturation => x !== null);
}

export function analyseCapacity(seconds: SecondState[], tel: Telemetry | null, windowS = 30): CapacityAnalysis {
  const w = Math.max(1, Math.min(windowS, seconds.length));
  const best = sustainedWindow(seconds, w);
  let instances: number | null = null;
  if (tel && best) {
    let s = 0;
    for (let t = best.from; t < best.from + w; t++) s += inServiceAt(tel, t);
    instances = s / w;
  }
  const from = seconds[0]?.t ?? 0;
  const to = (seconds[seconds.length - 1]?.t ?? 0) + 1;
  const tiers = tel ? tierSaturation(tel, from, to) : [];
  const bottleneck = tiers.reduce<TierSaturation | null>((a, b) => (a === null || b.p95 > a.p95 ? b : a), null);
  return {
    windowS: w,
    sustainedRateAtSlo: best?.rate ?? null,
    sustainedFrom: best?.from ?? null,
    lowerBound: !seconds.some((s) => s.breached),
    instancesInService: instances,
    rpsPerInstanceAtSlo: best && instances ? best.rate / instances : null,
    tiers,
    bottleneck,
    saturatedAtPct: SATURATED,
  };
}
