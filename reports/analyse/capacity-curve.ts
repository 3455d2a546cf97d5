// The capacity curve from a capacity search (pipeline/capacity): requests/s at the SLO per
// instance count against perfect linear scaling, the efficiency at each count, where adding
// instances stops paying and which tier is then the limit, and the sale-day instance count from
// the measured curve. Pure; every figure it states says where it came from.

import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import type { TierSaturation } from './capacity.ts';

export interface CountKnee {
  instances: number;
  /** found: bracketed within the tolerance; lower-bound: held up to the safety cap; none: nothing held. */
  outcome: 'found' | 'lower-bound' | 'none';
  kneeJourneysPerS: number | null;
  /** Requests per second (assets included) measured on the plateau at the knee. */
  kneeRequestsPerS: number | null;
  brokeAtJourneysPerS: number | null;
  p95ByJourneyAtKnee: Record<string, number | null>;
  /** CPU per tier on the first plateau that broke. */
  tiersAtBreak: TierSaturation[];
  whyBroke: string[];
  plateauCount: number;
  searchMinutes: number;
}

export interface CurvePoint {
  instances: number;
  requestsPerS: number | null;
  /** Perfect linear scaling from the smallest count measured. */
  linear: number | null;
  /** requestsPerS ÷ linear. */
  efficiency: number | null;
  /** Requests/s the last instances added brought, per instance, ÷ what one instance holds at the smallest count. */
  marginal: number | null;
  /** The hottest tier when the SLO broke at this count, if it was saturated. */
  limitingTier: TierName | null;
  outcome: CountKnee['outcome'];
}

export type TierName = 'app' | 'database' | 'cache';

export interface SaleDayFromCurve {
  peakRps: number;
  headroom: number;
  /** Requests/s to hold: peak × (1 + headroom). */
  needRps: number;
  /** Instances to have in service before the peak; null when the measured curve cannot hold it. */
  instances: number | null;
  /** How the count was found. */
  basis: 'measured' | 'extrapolated' | 'unreachable';
  text: string;
}

export interface CapacityCurve {
  points: CurvePoint[];
  /** The last count after which an added instance brought less than half an instance's worth; null if it never flattened. */
  flattensAfter: number | null;
  /** The tier limiting beyond the flattening point. */
  limitBeyond: TierName | null;
  /** The findings in words, first the headline. */
  findings: string[];
  recommendation: SaleDayFromCurve | null;
  /** A local instance stands for an AWS type: figures are modelled. */
  modelled: boolean;
  /** The time scales in force, in words. */
  timeScales: string[];
  settings: { sloName: string; plateauS: number; stepFactor: number; tolerance: number };
}

export interface CurveOptions {
  slo: Slo;
  targetKind: string;
  plateauS: number;
  stepFactor: number;
  tolerance: number;
  salePeakRps?: number;
  headroom: number;
  /** The AWS type a local instance stands for (cost mapping); default c7g.large. */
  awsType?: string;
}

/** Below this, an added instance is not worth its price: the curve has flattened. */
const FLAT_MARGINAL = 0.5;
/** A tier at or above this p95 CPU (% of its capacity) when the SLO broke was saturated. */
const SATURATED_PCT = 80;
const TIER_NAMES: Record<TierSaturation['tier'], TierName> = { app: 'app', db: 'database', cache: 'cache' };
const TIER_ADVICE: Record<TierName, string> = {
  app: 'add app instances (or larger ones)',
  database:
    'scale the database tier (a larger instance class, read replicas, fewer queries per page), not the app tier',
  cache: 'scale the cache tier (a larger node, or shards), not the app tier',
};

const f1 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number) => `${Math.round(x * 100)} %`;

export function limitingTier(tiers: TierSaturation[]): TierName | null {
  const hot = tiers.filter((t) => t.p95 >= SATURATED_PCT).sort((a, b) => b.p95 - a.p95)[0];
  return hot ? TIER_NAMES[hot.tier] : null;
}

export function analyseCapacityCurve(knees: CountKnee[], o: CurveOptions): CapacityCurve {
  const sorted = [...knees].sort((a, b) => a.instances - b.instances);
  const base = sorted.find((k) => k.kneeRequestsPerS !== null && k.kneeRequestsPerS > 0) ?? null;
  const perInstance = base ? base.kneeRequestsPerS! / base.instances : null;
  const points: CurvePoint[] = [];
  let prev: CurvePoint | null = null;
  for (const k of sorted) {
    const linear = perInstance !== null ? perInstance * k.instances : null;
    const rps = k.kneeRequestsPerS;
    const marginal =
      prev && prev.requestsPerS !== null && rps !== null && perInstance
        ? (rps - prev.requestsPerS) / (k.instances - prev.instances) / perInstance
        : null;
    const p: CurvePoint = {
      instances: k.instances,
      requestsPerS: rps,
      linear,
      efficiency: rps !== null && linear ? rps / linear : null,
      marginal,
      limitingTier: limitingTier(k.tiersAtBreak),
      outcome: k.outcome,
    };
    points.push(p);
    prev = p;
  }
  const flatIdx = points.findIndex((p) => p.marginal !== null && p.marginal < FLAT_MARGINAL);
  const flattensAfter = flatIdx > 0 ? points[flatIdx - 1].instances : null;
  const limitBeyond = flatIdx > 0 ? points[flatIdx].limitingTier : null;

  const findings: string[] = [];
  if (base && perInstance !== null) {
    findings.push(
      `One instance holds ${f1(perInstance)} requests/s at SLO "${o.slo.name}" (measured at ${base.instances} instance${base.instances === 1 ? '' : 's'}).`,
    );
  } else {
    findings.push(`No instance count held SLO "${o.slo.name}" at any rate tried: see why each plateau broke below.`);
  }
  for (const p of points.slice(1)) {
    if (p.efficiency === null) continue;
    findings.push(
      `${p.instances} instances: ${f1(p.requestsPerS!)} requests/s, ${pct(p.efficiency)} of linear scaling.`,
    );
  }
  for (const k of sorted)
    if (k.outcome === 'lower-bound')
      findings.push(
        `${k.instances} instance(s) held up to the safety cap: a lower bound, not a knee (raise --max-rate to find it).`,
      );
  if (flattensAfter !== null) {
    const beyond = points[flatIdx];
    const tier = limitBeyond;
    findings.push(
      `Beyond ${flattensAfter} instance${flattensAfter === 1 ? '' : 's'} the curve flattens (the next ${beyond.instances - flattensAfter} added ${pct(Math.max(0, beyond.marginal!))} of an instance's worth each)` +
        (tier && tier !== 'app'
          ? `: the ${tier} is the limit — ${TIER_ADVICE[tier]}.`
          : tier === 'app'
            ? ': the app instances were the hottest tier; look at what they share (the database, the cache, the balancer, this machine).'
            : ": no measured tier was saturated (the balancer's CPU is not measured; on a local replica the machine itself may be the limit)."),
    );
  } else if (points.length > 1 && points.every((p) => p.efficiency === null || p.efficiency >= 0.75)) {
    const tier = points.at(-1)?.limitingTier;
    findings.push(
      `Scaling stays near linear up to ${points.at(-1)!.instances} instances${tier ? `; at the knee the ${tier === 'app' ? 'app tier' : tier} ran hottest` : ''}: adding app instances still pays.`,
    );
  }

  const modelled = o.targetKind === 'local';
  const awsType = o.awsType ?? 'c7g.large';
  const recommendation = o.salePeakRps
    ? recommend(points, o.salePeakRps, o.headroom, modelled, awsType, limitBeyond)
    : null;
  const timeScales = [
    `Each plateau ran ${o.plateauS} s at a constant arrival rate: no profile compression (×1); the knee is a rate, not a time of day.`,
    'Autoscaling was held (a fixed instance count at each step), so no autoscaler time scale applies to these figures; ' +
      'on the day, instances must already be in service at the peak — a scale-out takes minutes in AWS time.',
  ];
  if (modelled)
    timeScales.push(
      `Modelled: each local instance (a CPU-capped share of this machine) stands for one ${awsType}; confirm on AWS before buying.`,
    );
  return {
    points,
    flattensAfter,
    limitBeyond,
    findings,
    recommendation,
    modelled,
    timeScales,
    settings: { sloName: o.slo.name, plateauS: o.plateauS, stepFactor: o.stepFactor, tolerance: o.tolerance },
  };
}

function recommend(
  points: CurvePoint[],
  peakRps: number,
  headroom: number,
  modelled: boolean,
  awsType: string,
  limit: TierName | null,
): SaleDayFromCurve {
  const needRps = peakRps * (1 + headroom);
  const head = `For a peak of ${f1(peakRps)} requests/s with ${pct(headroom)} headroom (${f1(needRps)} requests/s)`;
  const m = modelled ? ` (modelled: ${awsType} per local instance)` : '';
  const measured = points.filter((p) => p.requestsPerS !== null);
  const enough = measured.find((p) => p.requestsPerS! >= needRps);
  if (enough) {
    return {
      peakRps,
      headroom,
      needRps,
      instances: enough.instances,
      basis: 'measured',
      text: `${head}: have ${enough.instances} instance${enough.instances === 1 ? '' : 's'} in service before the peak${m}; the measured curve holds ${f1(enough.requestsPerS!)} requests/s there.`,
    };
  }
  const last = measured.at(-1);
  const flat = points.some((p) => p.marginal !== null && p.marginal < FLAT_MARGINAL);
  const perAdded =
    last && last.marginal !== null
      ? last.marginal * (points[0].linear! / points[0].instances)
      : last && last.linear
        ? last.requestsPerS! / last.instances
        : null;
  if (!last || flat || perAdded === null || perAdded <= 0) {
    return {
      peakRps,
      headroom,
      needRps,
      instances: null,
      basis: 'unreachable',
      text:
        `${head}: no instance count on the measured curve holds it${last ? ` (at most ${f1(last.requestsPerS!)} requests/s at ${last.instances})` : ''}` +
        `${limit && limit !== 'app' ? `; ${TIER_ADVICE[limit]}` : '; measure more instance counts'}.`,
    };
  }
  const n = last.instances + Math.ceil((needRps - last.requestsPerS!) / perAdded);
  return {
    peakRps,
    headroom,
    needRps,
    instances: n,
    basis: 'extrapolated',
    text: `${head}: about ${n} instances in service before the peak${m}, extrapolated beyond the measured ${last.instances} at ${f1(perAdded)} requests/s per added instance — measure ${n} to confirm.`,
  };
}
