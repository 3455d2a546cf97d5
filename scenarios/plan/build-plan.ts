// profile + run options → plan: one k6 ramping-arrival-rate scenario per journey in the mix, the
// arrivals they will schedule, and the safety checks (allowlist, journey and request rate caps).
// Pure: the caller supplies the id, the clock, the catalogue and the assets per page it measured.

import { DEFAULT_SLO, PAGE_P95_MS } from '../slo/default-slo.ts';
import { curveIntegral, profileCurve } from '../profile/curve.ts';
import type { Issue } from '../profile/issues.ts';
import type { LoadedProfile } from '../profile/load-profile.ts';
import { JOURNEYS, type JourneyName } from '../shared/journeys.ts';
import {
  ASSET_LIMIT,
  DEFAULT_ASSETS_PER_PAGE,
  peakRateFromRps,
  requestsPerStart,
  serialRequests,
  type AssetsPerPage,
} from './peak-rps.ts';
import { thinkMeanS } from '../shared/think-time.ts';
import type { Catalogue } from './catalogue-schema.ts';
import { PlanError } from './plan-error.ts';
import { IsoDateTime, K6Duration, PLAN_ID, PLAN_SCHEMA, type Plan, type PlanScenario } from './plan-schema.ts';
import { checkRate, checkRps, checkTarget, DEFAULT_ALLOW_HOSTS, DEFAULT_MAX_RATE, DEFAULT_MAX_RPS } from './safety.ts';
import { delayStaged, formatK6Duration, stageCurve, type StagedRate } from './stages.ts';
import type { LoadedSlo } from '../slo/slo-file.ts';
import { abortThresholds, sloThresholds } from '../slo/slo-thresholds.ts';

export interface BuildPlanOptions {
  /** Run id (names runs/<id>/): letters, digits, ".", "_", "-". */
  id: string;
  baseUrl: string;
  targetKind: 'local' | 'url' | 'aws';
  /** Journey starts per second at the profile's peak, all journeys together. Give this or peakRps. */
  peakRate?: number;
  /**
   * HTTP requests per second at the profile's peak (`--peak-rps`), assets included, converted to
   * peakRate through the requests each journey in the mix makes (peak-rps.ts). Give this or peakRate.
   */
  peakRps?: number;
  /**
   * Assets a page view loads (first page of a visit, later pages), as measured on the target
   * (measure-assets.ts) or given (--assets-per-page); default DEFAULT_ASSETS_PER_PAGE.
   */
  assetsPerPage?: AssetsPerPage & { source: 'measured' | 'given' };
  /** Length of the run in seconds; the profile's span is compressed into it. */
  durationS: number;
  /** Hosts load may go to; default loopback only (127.0.0.1, localhost, ::1). Replaces the default. */
  allowHosts?: string[];
  /** Cap on peakRate; default 50. */
  maxRate?: number;
  /** Cap on the requests/s at the peak, assets included; default DEFAULT_MAX_RPS (500). */
  maxRps?: number;
  catalogue: Pick<Catalogue, 'categories' | 'products' | 'customers'>;
  /** ISO 8601 timestamp. */
  createdAt: string;
  /** Typical response time, for preAllocatedVUs (default 0.5 s); maxVUs comes from the SLO's latency limits. */
  assumedLatencyS?: number;
  /** k6 gracefulStop for every scenario; default "30s". */
  gracefulStop?: string;
  /** Abort the run once this fraction of requests fails; null = never. Default: the SLO's abortOnErrorRate, else 0.5. */
  abortErrorRate?: number | null;
  /** Seconds before the abort may fire (k6 delayAbortEval); default durationS / 10 within 5..60 s. */
  abortDelayS?: number;
  /** Objectives that become k6 thresholds (slo-thresholds.ts); the plan records the file (name, sha256, content). */
  slo?: LoadedSlo;
}

/** preAllocatedVUs = expected concurrency at the peak × this… */
const PREALLOCATE_HEADROOM = 1.25;
/**
 * …and maxVUs = concurrency if every request took the SLO's latency limit (p99, else p95: the
 * slowest the store may be and still pass) × this, so k6 keeps arrivals on time up to the limit.
 */
const MAX_VU_HEADROOM = 1.5;
const MIN_MAX_VUS = 10;
/** A journey's phase delay is at most this share of the run (a journey with few arrivals keeps most of its curve). */
const MAX_PHASE_SHARE = 0.25;

export function buildPlan(loaded: LoadedProfile, options: BuildPlanOptions): Plan {
  const { profile } = loaded;
  const allowHosts = options.allowHosts ?? [...DEFAULT_ALLOW_HOSTS];
  const maxRate = options.maxRate ?? DEFAULT_MAX_RATE;
  const assumedLatencyS = options.assumedLatencyS ?? 0.5;
  const maxRps = options.maxRps ?? DEFAULT_MAX_RPS;
  const slo = options.slo?.slo ?? DEFAULT_SLO;
  const assets = options.assetsPerPage ?? { ...DEFAULT_ASSETS_PER_PAGE, source: 'default' as const };
  const perStart = requestsPerStart(profile.mix, assets);
  const peakRate =
    options.peakRps !== undefined ? peakRateFromRps(profile.mix, options.peakRps, assets) : (options.peakRate ?? NaN);
  checkOptions(options, { peakRate, perStart, maxRate, maxRps }, allowHosts, Object.keys(profile.mix) as JourneyName[]);

  const curve = profileCurve(profile);
  const mix = Object.entries(profile.mix) as Array<[JourneyName, number]>;
  const totalWeight = mix.reduce((s, [, w]) => s + w, 0);
  const thinkTime = { medianS: profile.thinkTime.medianS, p90S: profile.thinkTime.p90S };

  const scenarios: Record<string, PlanScenario> = {};
  const arrivals: Record<string, number> = {};
  let total = 0;
  for (const [j, [journey, weight]] of mix.entries()) {
    const spec = JOURNEYS[journey];
    const peak = (peakRate * weight) / totalWeight;
    const staged = phased(stageCurve(curve, options.durationS, peak), j / mix.length, options.durationS);
    // Requests one after the other (an asset batch in rounds of k6's parallel requests per host).
    const serial = serialRequests(journey, assets);
    const iterationS = serial * assumedLatencyS + spec.thinkSteps * thinkMeanS(thinkTime);
    const concurrency = peak * iterationS;
    const preAllocatedVUs = Math.max(1, Math.ceil(concurrency * PREALLOCATE_HEADROOM));
    const limitMs =
      slo.journeys[journey]?.p99Ms ??
      slo.journeys[journey]?.p95Ms ??
      DEFAULT_SLO.journeys[journey]?.p95Ms ??
      PAGE_P95_MS;
    const concurrencyAtLimit =
      peak * (serial * Math.max(limitMs / 1000, assumedLatencyS) + spec.thinkSteps * thinkMeanS(thinkTime));
    scenarios[journey] = {
      executor: 'ramping-arrival-rate',
      exec: spec.exec,
      startRate: staged.startRate,
      ...(staged.startTime !== '0s' ? { startTime: staged.startTime } : {}),
      timeUnit: staged.timeUnit,
      preAllocatedVUs,
      maxVUs: Math.max(preAllocatedVUs, MIN_MAX_VUS, Math.ceil(concurrencyAtLimit * MAX_VU_HEADROOM)),
      stages: staged.stages,
      gracefulStop: options.gracefulStop ?? '30s',
      tags: { journey },
    };
    arrivals[journey] = round2(staged.arrivals);
    total += staged.arrivals;
  }

  return {
    schema: PLAN_SCHEMA,
    id: options.id,
    createdAt: options.createdAt,
    profile: { name: profile.name, file: loaded.file, sha256: loaded.sha256 },
    target: { kind: options.targetKind, baseUrl: options.baseUrl, allowHosts },
    run: {
      peakRate,
      peakRps: options.peakRps ?? peakRate * perStart,
      scaledBy: options.peakRps !== undefined ? 'peakRps' : 'peakRate',
      requestsPerStart: round2(perStart),
      assetsPerPage: { first: assets.first, later: assets.later, source: assets.source },
      durationS: options.durationS,
      compression: curve.spanS / options.durationS,
      maxRate,
      maxRps,
      assumedLatencyS,
    },
    expected: { arrivals, total: round2(total) },
    k6: {
      scenarios,
      thresholds: planThresholds(options, Object.keys(scenarios)),
    },
    thinkTime,
    cacheBust: profile.cacheBust ?? false,
    ...(profile.popularity ? { popularity: profile.popularity } : {}),
    catalogue: {
      categories: options.catalogue.categories,
      products: options.catalogue.products,
      ...(options.catalogue.customers ? { customers: options.catalogue.customers } : {}),
    },
    ...sloRecord(options.slo),
  };
}

/**
 * Journey j of n starts j/n of its mean time between arrivals late, so the journeys' arrivals
 * interleave instead of landing on the same instants (six journeys at a low rate would otherwise
 * arrive together every few seconds, in bursts of six iterations).
 */
function phased(staged: StagedRate, phase: number, durationS: number): StagedRate & { startTime: string } {
  if (phase <= 0 || staged.arrivals <= 0) return { ...staged, startTime: '0s' };
  const meanGapS = durationS / staged.arrivals;
  return delayStaged(staged, Math.min(phase * meanGapS, durationS * MAX_PHASE_SHARE) * 1000);
}

/** The abort threshold, plus the SLO's objectives when there is one. */
export function planThresholds(
  o: Pick<BuildPlanOptions, 'abortErrorRate' | 'abortDelayS' | 'durationS' | 'slo'>,
  scenarios: string[],
) {
  const abortErrorRate = o.abortErrorRate !== undefined ? o.abortErrorRate : (o.slo?.slo.abortOnErrorRate ?? 0.5);
  const delayS = o.abortDelayS ?? Math.min(60, Math.max(5, Math.round(o.durationS / 10)));
  const delayAbortEval = formatK6Duration(Math.round(delayS * 1000));
  if (!o.slo) return abortThresholds(abortErrorRate, delayAbortEval);
  return sloThresholds(o.slo.slo, { scenarios, abortErrorRate, delayAbortEval }).thresholds;
}

/** The plan's record of its SLO file, so the gate judges the run by the same objectives. */
export function sloRecord(slo: LoadedSlo | undefined): { slo?: Plan['slo'] } {
  return slo ? { slo: { name: slo.slo.name, file: slo.file, sha256: slo.sha256, content: slo.slo } } : {};
}

/** The analytic arrivals of a profile under these options: ∫ shape × peakRate, span compressed. */
export function analyticArrivals(loaded: LoadedProfile, peakRate: number, durationS: number): number {
  const curve = profileCurve(loaded.profile);
  return curveIntegral(curve) * peakRate * (durationS / curve.spanS);
}

function checkOptions(
  o: BuildPlanOptions,
  load: { peakRate: number; perStart: number; maxRate: number; maxRps: number },
  allowHosts: string[],
  journeys: JourneyName[],
): void {
  const { peakRate, perStart, maxRate, maxRps } = load;
  const issues = commonIssues(o, allowHosts, maxRate);
  const add = (issue: Issue | undefined) => issue && issues.push(issue);
  const a = o.assetsPerPage;
  for (const k of ['first', 'later'] as const) {
    if (a !== undefined && !(Number.isFinite(a[k]) && a[k] >= 0 && a[k] <= ASSET_LIMIT))
      add({
        path: ['assetsPerPage', k],
        message: `must be a number of assets between 0 and ${ASSET_LIMIT} (k6 loads at most ${ASSET_LIMIT} per page), not ${a[k]} — fix --assets-per-page`,
      });
  }
  const assetIssue = issues.some((i) => i.path[0] === 'assetsPerPage');
  if ((o.peakRate === undefined) === (o.peakRps === undefined)) {
    add({
      path: ['peakRate'],
      message:
        'give either peakRate (journey starts/s at the peak) or peakRps (requests/s at the peak), not both or neither',
    });
  } else if (o.peakRps !== undefined && !(Number.isFinite(o.peakRps) && o.peakRps > 0)) {
    add({ path: ['peakRps'], message: `peakRps must be a positive number of requests per second, not ${o.peakRps}` });
  } else {
    const rate = checkRate(peakRate, maxRate);
    // The cap is on journey starts; say what --peak-rps turned into so the fix is clear.
    if (rate && o.peakRps !== undefined)
      rate.message = `peakRps ${o.peakRps}/s is ${round2(peakRate)} journey starts/s under this mix: ${rate.message}`;
    add(rate);
    // The request cap, once the figures it needs are sound (commonIssues reports a bad maxRps).
    if (Number.isFinite(peakRate) && peakRate > 0 && !assetIssue && Number.isFinite(maxRps) && maxRps > 0) {
      const what =
        o.peakRps !== undefined
          ? `peakRps ${o.peakRps}/s`
          : `peakRate ${peakRate}/s × ${round2(perStart)} requests per journey start`;
      add(checkRps(peakRate * perStart, maxRps, what));
    }
  }
  if (journeys.includes('browse')) {
    const withProducts = new Set(o.catalogue.products.map((p) => p.category));
    if (!o.catalogue.categories.some((c) => withProducts.has(c.slug))) {
      add({
        path: ['catalogue'],
        message:
          'the browse journey needs at least one category with a product — seed the store, then pass its catalogue',
      });
    }
  }
  if (issues.length) throw new PlanError('plan options', issues);
}

/** Checks every plan shares (profile or replay): id, clock, target, safety settings. */
export function commonIssues(o: Omit<BuildPlanOptions, 'peakRate'>, allowHosts: string[], maxRate: number): Issue[] {
  const issues: Issue[] = [];
  const add = (issue: Issue | undefined) => issue && issues.push(issue);
  if (!PLAN_ID.test(o.id))
    add({
      path: ['id'],
      message: `"${o.id}" is not a run id — use letters, digits, ".", "_" or "-" (it names the run directory)`,
    });
  if (!IsoDateTime.safeParse(o.createdAt).success)
    add({
      path: ['createdAt'],
      message: `"${o.createdAt}" is not an ISO 8601 time with a zone — pass new Date().toISOString()`,
    });
  if (o.gracefulStop !== undefined && !K6Duration.safeParse(o.gracefulStop).success)
    add({ path: ['gracefulStop'], message: `"${o.gracefulStop}" is not a k6 duration — write it like "30s"` });
  if (o.assumedLatencyS !== undefined && !(o.assumedLatencyS >= 0 && Number.isFinite(o.assumedLatencyS)))
    add({ path: ['assumedLatencyS'], message: `must be a number of seconds ≥ 0, not ${o.assumedLatencyS}` });
  if (!['local', 'url', 'aws'].includes(o.targetKind))
    add({ path: ['targetKind'], message: `must be "local", "url" or "aws", not "${o.targetKind}"` });
  if (!(Number.isFinite(o.durationS) && o.durationS > 0))
    add({ path: ['durationS'], message: `must be a positive number of seconds, not ${o.durationS}` });
  if (!(Number.isFinite(maxRate) && maxRate > 0))
    add({ path: ['maxRate'], message: `must be a positive rate, not ${maxRate}` });
  if (o.maxRps !== undefined && !(Number.isFinite(o.maxRps) && o.maxRps > 0))
    add({
      path: ['maxRps'],
      message: `must be a positive number of requests per second, not ${o.maxRps} — fix --max-rps`,
    });
  if (allowHosts.length === 0)
    add({ path: ['allowHosts'], message: 'is empty — name at least one host, or leave it out for loopback only' });
  const abort = o.abortErrorRate;
  if (abort !== undefined && abort !== null && !(abort > 0 && abort <= 1))
    add({ path: ['abortErrorRate'], message: `must be in (0, 1] or null, not ${abort}` });
  if (o.abortDelayS !== undefined && !(o.abortDelayS >= 0 && Number.isFinite(o.abortDelayS)))
    add({ path: ['abortDelayS'], message: `must be a number of seconds ≥ 0, not ${o.abortDelayS}` });
  add(checkTarget(o.baseUrl, allowHosts));
  return issues;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
