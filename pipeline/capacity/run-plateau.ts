// One plateau of the capacity search: a constant arrival rate against the pinned target for a
// fixed time, judged by the same gate as any run (the SLO's objectives, dropped iterations, load as
// planned, the generator healthy). A clear breach stops the plateau early, so a store that has
// fallen over is not hammered for the rest of it.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import { aggregateRun } from '../../reports/aggregate/aggregate-run.ts';
import { tierSaturation, type TierSaturation } from '../../reports/analyse/capacity.ts';
import { evaluateGate } from '../../reports/gate/evaluate-gate.ts';
import { sloSeconds } from '../../reports/analyse/slo-seconds.ts';
import type { RunRecord } from '../../reports/record/record-schema.ts';
import { runK6, K6_COMPLETED } from '../../runners/local/run-k6.ts';
import type { ProgressSnapshot } from '../../runners/local/live-progress.ts';
import { buildPlan } from '../../scenarios/plan/build-plan.ts';
import type { Catalogue } from '../../scenarios/plan/catalogue-schema.ts';
import type { AssetsPerPage } from '../../scenarios/plan/peak-rps.ts';
import { writePlan } from '../../scenarios/plan/plan-file.ts';
import type { LoadedProfile } from '../../scenarios/profile/load-profile.ts';
import type { LoadedSlo } from '../../scenarios/slo/slo-file.ts';
import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import { RunError } from '../../errors/errors.ts';

export interface PlateauContext {
  /** Where this plateau's run directory goes. */
  dir: string;
  id: string;
  baseUrl: string;
  targetKind: 'local' | 'url' | 'aws';
  catalogue: Pick<Catalogue, 'categories' | 'products' | 'customers'>;
  /** The flat profile (plateau-profile.ts). */
  profile: LoadedProfile;
  slo: Slo;
  sloFile?: LoadedSlo;
  durationS: number;
  maxRate?: number;
  maxRps?: number;
  /** Measured or given assets per page (absent: the plan's default). */
  assetsPerPage?: AssetsPerPage & { source: 'measured' | 'given' };
  allowHosts?: string[];
  telemetry?: (from: number, to: number) => Promise<Telemetry>;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export interface PlateauResult {
  /** Planned journey starts per second. */
  rate: number;
  held: boolean;
  /** Why it did not hold (failed checks, measured vs limit); empty when it held. */
  why: string[];
  /** Requests completed per second of the plateau (assets included, as --peak-rps counts them). */
  requestsPerS: number;
  /** Journeys completed per second of the plateau. */
  journeysPerS: number;
  /** Per journey: p95 of its pages and API calls, ms. */
  p95ByJourney: Record<string, number | null>;
  /** CPU per tier over the plateau (telemetry); empty without it. */
  tiers: TierSaturation[];
  /** Stopped before its end on a clear breach. */
  stoppedEarly: string | null;
  /** queueBuilding()'s finding (also in why): latency still climbing at the end, not yet over a limit. */
  queueRising: string | null;
  startedAt: number;
  wallS: number;
  runDir: string;
}

/** A breach clear enough to stop the plateau: p95 far past every limit, or many requests failing. */
export function clearBreach(s: ProgressSnapshot, slo: Slo): string | null {
  if (s.elapsedS < 4 || s.requests < 20) return null;
  const limits = Object.values(slo.journeys)
    .flatMap((j) => [j.p95Ms, j.p99Ms])
    .filter((x): x is number => x !== undefined);
  const loosest = limits.length ? Math.max(...limits) : null;
  if (loosest !== null && s.p95Ms !== null && s.p95Ms > 3 * loosest)
    return `p95 ${Math.round(s.p95Ms)} ms is over 3 × the loosest latency limit (${loosest} ms)`;
  if (s.failed / s.requests > Math.max(0.2, 10 * slo.errorRate))
    return `${Math.round((100 * s.failed) / s.requests)} % of requests failed`;
  const started = (s.iterations ?? 0) + (s.dropped ?? 0);
  if (started > 20 && (s.dropped ?? 0) / started > 0.2) return `k6 dropped ${s.dropped} of ${started} journey starts`;
  return null;
}

/**
 * Past its capacity an open-arrival store's queue grows for as long as the load lasts, so a short
 * plateau's p95 can still be under the limit while its last seconds already are not, or while its
 * latency is still climbing. Not held when more than a quarter of the last third of seconds breach
 * the SLO (slo-seconds.ts), or when the median latency of the last third is over twice the first
 * third's and past 30 % of the tightest limit (a sustainable rate has flat latency).
 */
export function queueBuilding(
  record: Pick<RunRecord, 'timeline' | 'journeys'>,
  slo: Slo,
  startedAt: number,
  durationS: number,
): string | null {
  const third = Math.max(1, Math.floor(durationS / 3));
  const end = startedAt + durationS + 1;
  const tail = sloSeconds(record, slo).filter((s) => s.t >= end - 1 - third && s.t < end && s.requests > 0);
  const bad = tail.filter((s) => s.breached).length;
  if (tail.length >= 3 && bad / tail.length > 0.25) {
    return `Latency still rising: ${bad} of the last ${tail.length} seconds breached the SLO (the queue was growing; a longer run would break it).`;
  }
  const p50 = (from: number, to: number) =>
    median(record.timeline.filter((p) => p.t >= from && p.t < to && p.p50 !== null).map((p) => p.p50!));
  const first = p50(startedAt + 1, startedAt + 1 + third);
  const last = p50(end - 1 - third, end);
  const limits = Object.values(slo.journeys)
    .flatMap((j) => [j.p95Ms, j.p99Ms])
    .filter((x): x is number => x !== undefined);
  const tightest = limits.length ? Math.min(...limits) : null;
  if (first !== null && last !== null && tightest !== null && last > 2 * first && last > 0.3 * tightest) {
    return `Latency still rising: median ${Math.round(first)} ms in the first third, ${Math.round(last)} ms in the last (the queue was growing; a longer run would break it).`;
  }
  return null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runPlateau(ctx: PlateauContext, rate: number): Promise<PlateauResult> {
  const t0 = Date.now();
  await mkdir(join(ctx.dir, 'raw'), { recursive: true });
  const plan = buildPlan(ctx.profile, {
    id: ctx.id,
    baseUrl: ctx.baseUrl,
    targetKind: ctx.targetKind,
    peakRate: rate,
    durationS: ctx.durationS,
    catalogue: ctx.catalogue,
    createdAt: new Date().toISOString(),
    maxRate: ctx.maxRate,
    maxRps: ctx.maxRps,
    assetsPerPage: ctx.assetsPerPage,
    allowHosts: ctx.allowHosts,
    // Journeys started near the end may finish (a cut journey would count as load short of the plan).
    slo: ctx.sloFile,
    gracefulStop: '10s',
  });
  const planPath = join(ctx.dir, 'plan.json');
  await writePlan(planPath, plan);
  const stop = new AbortController();
  let stoppedEarly: string | null = null;
  const onOuterAbort = () => stop.abort();
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const startedAt = Math.floor(Date.now() / 1000);
  const k6 = await runK6({
    planPath,
    rawDir: join(ctx.dir, 'raw', 'local-0'),
    plannedS: ctx.durationS,
    signal: stop.signal,
    progressEveryMs: 1000,
    onProgress: (_line, snap) => {
      if (stoppedEarly !== null) return;
      stoppedEarly = clearBreach(snap, ctx.slo);
      if (stoppedEarly !== null) {
        ctx.log(`  ${rate} journeys/s: stopping early, ${stoppedEarly}`);
        stop.abort();
      }
    },
  });
  ctx.signal?.removeEventListener('abort', onOuterAbort);
  if (!k6.aborted && !K6_COMPLETED.has(k6.exitCode))
    throw new RunError(`k6 exited with code ${k6.exitCode} on plateau ${ctx.id}; its output is in ${k6.logPath}`);
  const endedAt = Math.ceil(Date.now() / 1000);
  let tel: Telemetry | null = null;
  if (ctx.telemetry) {
    try {
      tel = await ctx.telemetry(startedAt, endedAt);
      await writeFile(join(ctx.dir, 'telemetry.json'), `${JSON.stringify(tel)}\n`);
    } catch (e) {
      ctx.log(`  no telemetry for ${ctx.id}: ${(e as Error).message}`);
    }
  }
  const record = await aggregateRun(ctx.dir, { interrupted: k6.aborted });
  // A rare journey (5 % of the mix) may not start in a few seconds at a low rate: not a breach.
  const gate = evaluateGate(record, ctx.slo, { tolerance: 0.1, skipAbsentJourneys: true });
  const why = gate.objectives.filter((o) => !o.pass).map((o) => o.detail);
  if (stoppedEarly) why.unshift(`Stopped early: ${stoppedEarly}.`);
  const rising = queueBuilding(record, ctx.slo, startedAt, ctx.durationS);
  if (rising) why.push(rising);
  const result: PlateauResult = {
    rate,
    held: gate.pass && stoppedEarly === null && rising === null && !ctx.signal?.aborted,
    why,
    requestsPerS: record.totals.requests / ctx.durationS,
    journeysPerS: record.totals.iterations / ctx.durationS,
    p95ByJourney: Object.fromEntries(record.journeys.map((j) => [j.name, j.latency.p95])),
    tiers: tel ? tierSaturation(tel, startedAt, endedAt) : [],
    stoppedEarly,
    queueRising: rising,
    startedAt,
    wallS: (Date.now() - t0) / 1000,
    runDir: ctx.dir,
  };
  await writeFile(join(ctx.dir, 'plateau.json'), `${JSON.stringify(result, null, 1)}\n`);
  return result;
}
