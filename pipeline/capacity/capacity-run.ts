// `rehearse capacity`: at each instance count, pin the target, warm it up, search for the knee
// (knee-search.ts) with constant-rate plateaus (run-plateau.ts), and write capacity.json and
// capacity.html (the curve, efficiency, the limiting tier, the sale-day recommendation) into
// runs/<id>/. Every plateau keeps its own run directory under plateaus/ for inspection.

import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { InputError, InterruptedError } from '../../errors/errors.ts';
import { analyseCapacityCurve, type CapacityCurve, type CountKnee } from '../../reports/analyse/capacity-curve.ts';
import { writeFileAtomic } from '../../reports/record/atomic-write.ts';
import { renderCapacityReport } from '../../reports/render/capacity-report.ts';
import { readCatalogue } from '../../scenarios/plan/catalogue-file.ts';
import { DEFAULT_MAX_RATE, DEFAULT_MAX_RPS } from '../../scenarios/plan/safety.ts';
import { DEFAULT_ASSETS_PER_PAGE, requestsPerStart, type AssetsPerPage } from '../../scenarios/plan/peak-rps.ts';
import { assetsFor } from '../make-plan.ts';
import type { LoadedProfile } from '../../scenarios/profile/load-profile.ts';
import { DEFAULT_SLO } from '../../scenarios/slo/default-slo.ts';
import type { LoadedSlo } from '../../scenarios/slo/slo-file.ts';
import type { TargetKind } from '../../infra/target.ts';
import { searchKnee, type SearchSettings, plateauSeconds } from './knee-search.ts';
import { checkCounts, targetPinner, type AwsPinDeps, type PinnedTarget } from './pin-target.ts';
import { plateauProfile } from './plateau-profile.ts';
import { runPlateau, type PlateauResult } from './run-plateau.ts';

/** Thrown into the search when Ctrl-C came between plateaus: the search ends where it is. */
class SearchStopped extends Error {}

export interface CapacityOptions {
  id: string;
  runsDir: string;
  target: TargetKind;
  url?: string;
  catalogue?: string;
  /** AWS: the config of the deployed store stack, whose app group is pinned at each count. */
  awsConfig?: string;
  /** AWS test seams (clients, where the store is); default: the real ones. */
  aws?: AwsPinDeps;
  /** Runs one plateau (default run-plateau.ts); tests pass a stub that sends no load. */
  runPlateau?: typeof runPlateau;
  /** Seconds of quiet before the next plateau, after one that held and one that broke (default 2 and SETTLE_AFTER_BREAK_S). */
  settleS?: { held: number; broke: number };
  /** Instance counts to measure, e.g. [1, 2, 4]. */
  instances: number[];
  /** The profile whose journey mix the plateaus use. */
  profile: LoadedProfile;
  /** Bypass page caches (measure the origin); default: the profile's setting. */
  cacheBust?: boolean;
  /** Local replica: CPU share of a core per app instance (default: the replica's, 0.4). */
  instanceCpu?: number;
  /** Local replica: what a request costs (default calibrated: WooCommerce's measured cost). */
  shopCost?: 'calibrated' | 'light';
  slo?: LoadedSlo;
  plateauS: number;
  /** Step up factor (1.25 = +25 %). */
  stepFactor: number;
  /** Bracket width at which a knee counts as found (0.1 = 10 %). */
  tolerance: number;
  /** First plateau of the first count, journeys/s; later counts start from the knee before. */
  startRate: number;
  maxRate?: number;
  /** Cap on requests/s (assets included): no plateau above it. Default DEFAULT_MAX_RPS. */
  maxRps?: number;
  /** Assets per page view (--assets-per-page); default: measured on the target's pages. */
  assetsPerPage?: AssetsPerPage;
  allowHosts?: string[];
  /** Unjudged plateau at the start rate after each pin: a cold opcache is not the store's capacity. */
  warmupS: number;
  maxPlateaus?: number;
  /** Sale-day peak to size for, requests/s, and the headroom on top (0.3 = 30 %). */
  salePeakRps?: number;
  headroom?: number;
  /** Leave the local replica running afterwards (an AWS stack always stays; only its group is restored). */
  keepUp?: boolean;
  log: (line: string) => void;
  signal?: AbortSignal;
}

/** Seconds of quiet after a plateau that broke, before the next. */
export const SETTLE_AFTER_BREAK_S = 10;

export interface CapacityResult {
  dir: string;
  curve: CapacityCurve;
  counts: Array<CountKnee & { plateaus: PlateauResult[] }>;
  wallS: number;
}

export async function runCapacity(o: CapacityOptions): Promise<CapacityResult> {
  checkCounts(o.target, o.instances);
  // Bad target options fail here, before a run directory exists.
  const pinner = targetPinner({
    kind: o.target,
    url: o.url,
    catalogue: o.catalogue,
    awsConfig: o.awsConfig,
    aws: o.aws,
    instanceCpu: o.instanceCpu,
    shopCost: o.shopCost,
    keepUp: o.keepUp,
    log: o.log,
    signal: o.signal,
  });
  const plateau = o.runPlateau ?? runPlateau;
  const started = Date.now();
  const dir = join(o.runsDir, o.id);
  const work = `${dir}.partial`;
  if (
    await stat(dir).then(
      () => true,
      () => false,
    )
  )
    throw new InputError(`run directory ${dir} already exists: choose another --id or move the old one`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const slo = o.slo?.slo ?? DEFAULT_SLO;
  const flat = plateauProfile(o.profile, { cacheBust: o.cacheBust });
  const maxRps = o.maxRps ?? DEFAULT_MAX_RPS;
  let maxRate = o.maxRate ?? DEFAULT_MAX_RATE;
  let assets: (AssetsPerPage & { source: 'measured' | 'given' }) | undefined;
  let measured = false;
  const counts: CapacityResult['counts'] = [];
  let released: unknown = null;
  try {
    let prev: { instances: number; knee: number } | null = null;
    for (const n of [...o.instances].sort((a, b) => a - b)) {
      if (o.signal?.aborted) break;
      o.log(`capacity: pinning the ${o.target} target at ${n} instance(s), autoscaling held`);
      let pinned: PinnedTarget;
      try {
        pinned = await pinner.pin(n);
      } catch (err) {
        // Ctrl-C while a pin waited for instances: the search ends where it is, like between plateaus.
        if (err instanceof InterruptedError && o.signal?.aborted) break;
        throw err;
      }
      const catalogue = await readCatalogue(pinned.endpoint.cataloguePath);
      if (!measured) {
        measured = true;
        assets = await assetsFor(
          { assetsPerPage: o.assetsPerPage, allowHost: o.allowHosts },
          pinned.endpoint.baseUrl,
          catalogue,
          o.log,
        );
        // The request cap holds as a journey rate too: no plateau makes more than maxRps requests/s.
        const perStart = requestsPerStart(flat.profile.mix, assets ?? DEFAULT_ASSETS_PER_PAGE);
        const rpsCap = Math.floor((maxRps / perStart) * 1000) / 1000;
        if (rpsCap < maxRate) {
          o.log(
            `capacity: at most ${rpsCap} journeys/s (${maxRps} requests/s, --max-rps, at ${perStart.toFixed(1)} per journey)`,
          );
          maxRate = rpsCap;
        }
      }
      const telemetry = pinned.target.telemetry?.bind(pinned.target);
      let k = 0;
      const ctx = (label: string, durationS: number) => ({
        dir: join(work, 'plateaus', `${n}i-${String(++k).padStart(2, '0')}-${label}`),
        id: `${o.id}-${n}i-${k}`,
        baseUrl: pinned.endpoint.baseUrl,
        targetKind: o.target,
        catalogue,
        profile: flat,
        slo,
        sloFile: o.slo,
        durationS,
        maxRate,
        maxRps,
        assetsPerPage: assets,
        allowHosts: o.allowHosts,
        telemetry,
        signal: o.signal,
        log: o.log,
      });
      // Later counts start near where linear scaling from the last knee would put them, a step below.
      const startRate = prev ? Math.min(maxRate, (prev.knee * n) / prev.instances / o.stepFactor) : o.startRate;
      if (o.warmupS > 0) await plateau(ctx('warmup', o.warmupS), Math.min(startRate, maxRate) / 2);
      const settings: SearchSettings = {
        startRate,
        stepFactor: o.stepFactor,
        tolerance: o.tolerance,
        maxRate,
        minRate: Math.min(3 / o.plateauS, startRate),
        maxPlateaus: o.maxPlateaus ?? 16,
      };
      let settle = 0;
      const search = await searchKnee(settings, async (rate, phase) => {
        // Ctrl-C ends the search: no further plateau starts (the one running stops by its own signal).
        if (o.signal?.aborted) throw new SearchStopped();
        // An overloaded store keeps working off its queue after the load stops: let it drain, so
        // each plateau starts from an idle store and does not inherit the last one's backlog.
        if (settle > 0) await sleep(settle * 1000);
        // A slow store's knee is a low rate: its plateaus run longer, so each plans enough journeys to judge.
        const p = await plateau(ctx(`${phase}-${rate}`, plateauSeconds(rate, o.plateauS)), rate);
        settle = p.held ? (o.settleS?.held ?? 2) : (o.settleS?.broke ?? SETTLE_AFTER_BREAK_S);
        o.log(
          `  ${n} instance(s), ${rate} journeys/s (${phase}): ${p.held ? 'held' : 'broke'} — ${p.requestsPerS.toFixed(1)} requests/s` +
            `${p.held ? '' : `; ${p.why.find((w) => w.startsWith('Journey') || w.startsWith('Stopped')) ?? p.why[0] ?? ''}`}`,
        );
        return p;
      }).catch((err: unknown) => {
        if (err instanceof SearchStopped) return null;
        throw err;
      });
      if (!search || o.signal?.aborted) break;
      const kneePlateau = search.plateaus.filter((p) => p.held && p.rate === search.result.knee).at(-1) ?? null;
      const broke = search.plateaus.filter((p) => !p.held && p.rate === search.result.brokeAt).at(-1) ?? null;
      const knee: CountKnee = {
        instances: n,
        outcome: search.result.outcome,
        kneeJourneysPerS: search.result.knee,
        // The knee's rate × the requests a journey made there: steadier than a few seconds' count.
        kneeRequestsPerS:
          kneePlateau && kneePlateau.journeysPerS > 0
            ? search.result.knee! * (kneePlateau.requestsPerS / kneePlateau.journeysPerS)
            : null,
        brokeAtJourneysPerS: search.result.brokeAt,
        p95ByJourneyAtKnee: kneePlateau?.p95ByJourney ?? {},
        tiersAtBreak: broke?.tiers ?? [],
        whyBroke: broke?.why ?? [],
        plateauCount: search.plateaus.length,
        searchMinutes: search.plateaus.reduce((a, p) => a + p.wallS, 0) / 60,
      };
      counts.push({ ...knee, plateaus: search.plateaus });
      o.log(
        `capacity at ${n} instance(s): ${knee.kneeRequestsPerS?.toFixed(1) ?? '–'} requests/s (${knee.kneeJourneysPerS ?? '–'} journeys/s), ${knee.outcome}`,
      );
      if (search.result.knee) prev = { instances: n, knee: search.result.knee };
    }
  } catch (err) {
    // Failed before any plateau ran (a bad catalogue, no deployed stack): nothing half-written stays.
    if (
      !(await stat(join(work, 'plateaus')).then(
        () => true,
        () => false,
      ))
    )
      await rm(work, { recursive: true, force: true });
    throw err;
  } finally {
    // Always, once: the local replica stopped, the AWS group put back as it was. A failed restore
    // has said loudly how to restore by hand; it fails the command once the report is written.
    released = await pinner.release().then(
      () => null,
      (e: unknown) => e,
    );
  }
  if (counts.length === 0) {
    await rm(work, { recursive: true, force: true });
    if (released) throw released;
    throw new InputError('interrupted before any knee was measured: nothing to keep');
  }
  const curve = analyseCapacityCurve(counts, {
    slo,
    targetKind: o.target,
    plateauS: o.plateauS,
    stepFactor: o.stepFactor,
    tolerance: o.tolerance,
    salePeakRps: o.salePeakRps,
    headroom: o.headroom ?? 0.3,
  });
  const result = { dir, curve, counts, wallS: (Date.now() - started) / 1000 };
  await writeFileAtomic(
    join(work, 'capacity.json'),
    `${JSON.stringify({ schema: 'rehearse.capacity/v1', id: o.id, ...result, dir: undefined }, null, 1)}\n`,
  );
  await writeFileAtomic(join(work, 'capacity.html'), await renderCapacityReport(o.id, curve, counts));
  await rename(work, dir);
  if (released) throw released;
  return result;
}
