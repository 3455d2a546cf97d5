// profile + run options → plan: one k6 ramping-arrival-rate scenario per journey in the mix, the
// arrivals they will schedule, and the safety checks (allowlist, rate cap). Pure: the caller
// supplies the id, the clock and the catalogue.

import { curveIntegral, profileCurve } from '../profile/curve.ts';
import type { Issue } from '../profile/issues.ts';
import type { LoadedProfile } from '../profile/load-profile.ts';
import { JOURNEYS, type JourneyName } from '../shared/journeys.ts';
import { thinkMeanS } from '../shared/think-time.ts';
import type { Catalogue } from './catalogue-schema.ts';
import { PlanError } from './plan-error.ts';
import { IsoDateTime, K6Duration, PLAN_ID, PLAN_SCHEMA, type Plan, type PlanScenario } from './plan-schema.ts';
import { checkRate, checkTarget, DEFAULT_ALLOW_HOSTS, DEFAULT_MAX_RATE } from './safety.ts';
import { stageCurve } from './stages.ts';

export interface BuildPlanOptions {
  /** Run id (names runs/<id>/): letters, digits, ".", "_", "-". */
  id: string;
  baseUrl: string;
  targetKind: 'local' | 'url' | 'aws';
  /** Journey starts per second at the profile's peak, all journeys together. */
  peakRate: number;
  /** Length of the run in seconds; the profile's span is compressed into it. */
  durationS: number;
  /** Hosts load may go to; default loopback only (127.0.0.1, localhost, ::1). Replaces the default. */
  allowHosts?: string[];
  /** Cap on peakRate; default 50. */
  maxRate?: number;
  catalogue: Pick<Catalogue, 'categories' | 'products'>;
  /** ISO 8601 timestamp. */
  createdAt: string;
  /** Response time assumed when sizing VUs; default 0.5 s. */
  assumedLatencyS?: number;
  /** k6 gracefulStop for every scenario; default "30s". */
  gracefulStop?: string;
  /** Abort the run once this fraction of requests fails (evaluated after 1 min); null = never. Default 0.5. */
  abortErrorRate?: number | null;
}

/** preAllocatedVUs = expected concurrency at the peak × this… */
const PREALLOCATE_HEADROOM = 1.25;
/** …and maxVUs × this: room for the store to slow down before k6 drops iterations. */
const MAX_VU_HEADROOM = 4;
const MIN_MAX_VUS = 10;

export function buildPlan(loaded: LoadedProfile, options: BuildPlanOptions): Plan {
  const { profile } = loaded;
  const allowHosts = options.allowHosts ?? [...DEFAULT_ALLOW_HOSTS];
  const maxRate = options.maxRate ?? DEFAULT_MAX_RATE;
  const assumedLatencyS = options.assumedLatencyS ?? 0.5;
  checkOptions(options, allowHosts, maxRate, Object.keys(profile.mix) as JourneyName[]);

  const curve = profileCurve(profile);
  const mix = Object.entries(profile.mix) as Array<[JourneyName, number]>;
  const totalWeight = mix.reduce((s, [, w]) => s + w, 0);
  const thinkTime = { medianS: profile.thinkTime.medianS, p90S: profile.thinkTime.p90S };

  const scenarios: Record<string, PlanScenario> = {};
  const arrivals: Record<string, number> = {};
  let total = 0;
  for (const [journey, weight] of mix) {
    const spec = JOURNEYS[journey];
    const peak = (options.peakRate * weight) / totalWeight;
    const staged = stageCurve(curve, options.durationS, peak);
    const iterationS = spec.requests * assumedLatencyS + spec.thinkSteps * thinkMeanS(thinkTime);
    const concurrency = peak * iterationS;
    const preAllocatedVUs = Math.max(1, Math.ceil(concurrency * PREALLOCATE_HEADROOM));
    scenarios[journey] = {
      executor: 'ramping-arrival-rate',
      exec: spec.exec,
      startRate: staged.startRate,
      timeUnit: staged.timeUnit,
      preAllocatedVUs,
      maxVUs: Math.max(preAllocatedVUs, MIN_MAX_VUS, Math.ceil(concurrency * MAX_VU_HEADROOM)),
      stages: staged.stages,
      gracefulStop: options.gracefulStop ?? '30s',
      tags: { journey },
    };
    arrivals[journey] = round2(staged.arrivals);
    total += staged.arrivals;
  }

  const abort = options.abortErrorRate === undefined ? 0.5 : options.abortErrorRate;
  return {
    schema: PLAN_SCHEMA,
    id: options.id,
    createdAt: options.createdAt,
    profile: { name: profile.name, file: loaded.file, sha256: loaded.sha256 },
    target: { kind: options.targetKind, baseUrl: options.baseUrl, allowHosts },
    run: {
      peakRate: options.peakRate,
      durationS: options.durationS,
      compression: curve.spanS / options.durationS,
      maxRate,
      assumedLatencyS,
    },
    expected: { arrivals, total: round2(total) },
    k6: {
      scenarios,
      thresholds:
        abort === null ? {} : { http_req_failed: [{ threshold: `rate<${abort}`, abortOnFail: true, delayAbortEval: '1m' }] },
    },
    thinkTime,
    cacheBust: profile.cacheBust ?? false,
    catalogue: { categories: options.catalogue.categories, products: options.catalogue.products },
  };
}

/** The analytic arrivals of a profile under these options: ∫ shape × peakRate, span compressed. */
export function analyticArrivals(loaded: LoadedProfile, peakRate: number, durationS: number): number {
  const curve = profileCurve(loaded.profile);
  return curveIntegral(curve) * peakRate * (durationS / curve.spanS);
}

function checkOptions(o: BuildPlanOptions, allowHosts: string[], maxRate: number, journeys: JourneyName[]): void {
  const issues: Issue[] = [];
  const add = (issue: Issue | undefined) => issue && issues.push(issue);
  if (!PLAN_ID.test(o.id)) add({ path: ['id'], message: `"${o.id}" is not a run id — use letters, digits, ".", "_" or "-" (it names the run directory)` });
  if (!IsoDateTime.safeParse(o.createdAt).success) add({ path: ['createdAt'], message: `"${o.createdAt}" is not an ISO 8601 time with a zone — pass new Date().toISOString()` });
  if (o.gracefulStop !== undefined && !K6Duration.safeParse(o.gracefulStop).success) add({ path: ['gracefulStop'], message: `"${o.gracefulStop}" is not a k6 duration — write it like "30s"` });
  if (o.assumedLatencyS !== undefined && !(o.assumedLatencyS >= 0 && Number.isFinite(o.assumedLatencyS))) add({ path: ['assumedLatencyS'], message: `must be a number of seconds ≥ 0, not ${o.assumedLatencyS}` });
  if (!['local', 'url', 'aws'].includes(o.targetKind)) add({ path: ['targetKind'], message: `must be "local", "url" or "aws", not "${o.targetKind}"` });
  if (!(Number.isFinite(o.durationS) && o.durationS > 0)) add({ path: ['durationS'], message: `must be a positive number of seconds, not ${o.durationS}` });
  if (!(Number.isFinite(maxRate) && maxRate > 0)) add({ path: ['maxRate'], message: `must be a positive rate, not ${maxRate}` });
  if (allowHosts.length === 0) add({ path: ['allowHosts'], message: 'is empty — name at least one host, or leave it out for loopback only' });
  const abort = o.abortErrorRate;
  if (abort !== undefined && abort !== null && !(abort > 0 && abort <= 1)) add({ path: ['abortErrorRate'], message: `must be in (0, 1] or null, not ${abort}` });
  add(checkTarget(o.baseUrl, allowHosts));
  add(checkRate(o.peakRate, maxRate));
  if (journeys.includes('browse')) {
    const withProducts = new Set(o.catalogue.products.map((p) => p.category));
    if (!o.catalogue.categories.some((c) => withProducts.has(c.slug))) {
      add({ path: ['catalogue'], message: 'the browse journey needs at least one category with a product — seed the store, then pass its catalogue' });
    }
  }
  if (issues.length) throw new PlanError('plan options', issues);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
