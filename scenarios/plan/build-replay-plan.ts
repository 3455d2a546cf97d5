// A replay plan: one k6 scenario, `replay`, that requests a log's GET URLs in their logged order
// at their logged pace (scaled to the run's duration). Same safety as a profile plan: the host
// allowlist, and the rate caps on the busiest second — each replayed URL is one request (the log
// names assets itself), so the replay's requests/s is held to maxRate and to maxRps. Pure: the
// caller reads the replay file.

import { isAbsolute } from 'node:path';
import type { Issue } from '../profile/issues.ts';
import type { LoadedReplay } from '../replay/replay-file.ts';
import { commonIssues, planThresholds, sloRecord, type BuildPlanOptions } from './build-plan.ts';
import { PlanError } from './plan-error.ts';
import { PLAN_SCHEMA, REPLAY_EXEC, type Plan } from './plan-schema.ts';
import { replayStages } from './replay-stages.ts';
import { checkRate, checkRps, DEFAULT_ALLOW_HOSTS, DEFAULT_MAX_RATE, DEFAULT_MAX_RPS } from './safety.ts';

export interface ReplayPlanOptions extends Omit<
  BuildPlanOptions,
  'peakRate' | 'peakRps' | 'durationS' | 'assetsPerPage'
> {
  /** Run length in seconds; the replay is stretched or squeezed to it. Default: the replay file's own duration. */
  durationS?: number;
}

const MIN_MAX_VUS = 10;

export function buildReplayPlan(loaded: LoadedReplay, options: ReplayPlanOptions): Plan {
  const { replay } = loaded;
  const durationS = options.durationS ?? replay.durationS;
  const allowHosts = options.allowHosts ?? [...DEFAULT_ALLOW_HOSTS];
  const maxRate = options.maxRate ?? DEFAULT_MAX_RATE;
  const maxRps = options.maxRps ?? DEFAULT_MAX_RPS;
  const assumedLatencyS = options.assumedLatencyS ?? 0.5;
  const issues: Issue[] = commonIssues({ ...options, durationS }, allowHosts, maxRate);
  if (!isAbsolute(loaded.file))
    issues.push({
      path: ['replay', 'file'],
      message: `"${loaded.file}" must be an absolute path (k6 opens it) — resolve it first`,
    });
  if (replay.urls.length === 0)
    issues.push({
      path: ['replay', 'urls'],
      message: 'the replay file has no URLs — the log had no GET requests to replay',
    });
  if (issues.length) throw new PlanError('plan options', issues);

  const staged = replayStages(
    replay.urls.map((u) => u[0]),
    replay.durationS,
    durationS,
  );
  const rate = checkRate(staged.peakPerS, maxRate);
  if (rate) {
    rate.message = `the replay's busiest ${staged.bucketS} s starts ${staged.peakPerS} requests/s: ${rate.message.replace('lower peakRate', 'lengthen durationS (slower replay)')}`;
    throw new PlanError('plan options', [rate]);
  }
  const rps = checkRps(staged.peakPerS, maxRps, `the replay's busiest ${staged.bucketS} s`, {
    lower: 'lengthen durationS (--duration: a slower replay)',
  });
  if (rps) throw new PlanError('plan options', [rps]);
  const concurrency = staged.peakPerS * assumedLatencyS;
  const preAllocatedVUs = Math.max(1, Math.ceil(concurrency * 1.25));
  const scenarios = {
    replay: {
      executor: 'ramping-arrival-rate' as const,
      exec: REPLAY_EXEC,
      startRate: staged.startRate,
      timeUnit: staged.timeUnit,
      preAllocatedVUs,
      maxVUs: Math.max(preAllocatedVUs, MIN_MAX_VUS, Math.ceil(concurrency * 4)),
      stages: staged.stages,
      gracefulStop: options.gracefulStop ?? '30s',
      tags: { journey: 'replay' },
    },
  };
  const arrivals = Math.round(staged.arrivals * 100) / 100;
  return {
    schema: PLAN_SCHEMA,
    id: options.id,
    createdAt: options.createdAt,
    profile: { name: 'replay', file: loaded.file, sha256: loaded.sha256 },
    target: { kind: options.targetKind, baseUrl: options.baseUrl, allowHosts },
    run: {
      peakRate: staged.peakPerS,
      peakRps: staged.peakPerS,
      scaledBy: 'replay',
      requestsPerStart: 1,
      assetsPerPage: { first: 0, later: 0, source: 'replay' },
      durationS,
      compression: (replay.speed * replay.durationS) / durationS,
      maxRate,
      maxRps,
      assumedLatencyS,
    },
    expected: { arrivals: { replay: arrivals }, total: arrivals },
    k6: { scenarios, thresholds: planThresholds({ ...options, durationS }, ['replay']) },
    thinkTime: { medianS: 0, p90S: 0 },
    cacheBust: false,
    catalogue: { categories: options.catalogue.categories, products: options.catalogue.products },
    ...sloRecord(options.slo),
    replay: {
      file: loaded.file,
      sha256: loaded.sha256,
      urls: replay.urls.length,
      timeScale: durationS / replay.durationS,
    },
  };
}
