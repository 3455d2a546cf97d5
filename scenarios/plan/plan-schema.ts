// plan.json, version rehearse.plan/v2: everything a runner needs to replay a profile against one
// target — the k6 scenarios, the expected arrivals, think time and the catalogue. Pure schema and
// types (the k6 side imports the types); reading, writing and the safety re-check: plan-file.ts.

import { z } from 'zod';
import { JOURNEYS } from '../shared/journeys.ts';
import { CategorySchema, CustomerSchema, ProductSchema } from './catalogue-schema.ts';
import { SloSchema } from '../slo/slo-format.ts';

/** The exec of the replay scenario (scenarios/k6/journeys/replay.ts): not a profile journey. */
export const REPLAY_EXEC = 'replay';

// v2: run.peakRps counts every request (assets included) and is capped by run.maxRps; the
// assets per page it was counted with travel in run.assetsPerPage. A v1 plan lacks them: rebuild it.
export const PLAN_SCHEMA = 'rehearse.plan/v2';

/** Run ids become directory names (runs/<id>/). */
export const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/** A k6 (Go) duration: "90s", "1m30s", "250ms", "1.5s". */
export const K6Duration = z
  .string()
  .regex(/^(\d+(\.\d+)?(h|m|s|ms))+$/, { error: 'must be a k6 duration like "90s" or "1m30s"' });

/** ISO 8601 with a zone: "2026-11-27T00:00:00.000Z". */
export const IsoDateTime = z.iso.datetime({ offset: true });

const Count = z.number().int().min(0);

export const StageSchema = z.strictObject({ duration: K6Duration, target: Count });

export const ScenarioSchema = z.strictObject({
  executor: z.literal('ramping-arrival-rate'),
  exec: z.string().min(1),
  startRate: Count,
  /** Journeys start out of phase with each other (stages.ts delayStaged); absent: at once. */
  startTime: K6Duration.optional(),
  timeUnit: K6Duration,
  preAllocatedVUs: z.number().int().min(1),
  maxVUs: z.number().int().min(1),
  stages: z.array(StageSchema).min(1),
  gracefulStop: K6Duration,
  tags: z.record(z.string(), z.string()),
});

export const ThresholdSchema = z.union([
  z.string(),
  z.strictObject({ threshold: z.string(), abortOnFail: z.boolean().optional(), delayAbortEval: K6Duration.optional() }),
]);

const Rate = z.number().positive().finite();

export const PlanSchema = z
  .strictObject({
    schema: z.literal(PLAN_SCHEMA, {
      error: `schema must be "${PLAN_SCHEMA}" — rebuild the plan with this version of Rehearse`,
    }),
    id: z
      .string()
      .regex(PLAN_ID, { error: 'id must be letters, digits, ".", "_" or "-" (it names the run directory)' }),
    createdAt: IsoDateTime,
    profile: z.strictObject({ name: z.string(), file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    target: z.strictObject({
      kind: z.enum(['local', 'url', 'aws']),
      baseUrl: z.string(),
      allowHosts: z.array(z.string().min(1)).min(1),
    }),
    run: z.strictObject({
      /** Journey starts per second at the peak, all journeys together. */
      peakRate: Rate,
      /**
       * HTTP requests per second at the peak, assets included: what --peak-rps asked for, or what
       * peakRate makes (peakRate × requestsPerStart).
       */
      peakRps: Rate,
      /** Whether the run was scaled by journeys/s (--peak-rate) or requests/s (--peak-rps); replay: by its log. */
      scaledBy: z.enum(['peakRate', 'peakRps', 'replay']),
      /** Requests one journey start makes on average under the mix, assets included (replay: 1). */
      requestsPerStart: Rate,
      /**
       * Assets a page view loads, that requestsPerStart counted: the first page of a visit, and each
       * later one (what the visit has not fetched yet). measured: from the target's pages when the
       * plan was built; given: --assets-per-page; default: DEFAULT_ASSETS_PER_PAGE; replay: none (the
       * log names every URL).
       */
      assetsPerPage: z.strictObject({
        first: z.number().min(0).finite(),
        later: z.number().min(0).finite(),
        source: z.enum(['measured', 'given', 'default', 'replay']),
      }),
      /** Length of the compressed run in seconds. */
      durationS: Rate,
      /** Real-world seconds per run second (profile span ÷ durationS). */
      compression: Rate,
      /** Cap on peakRate (journey starts/s). */
      maxRate: Rate,
      /** Cap on the requests/s at the peak, assets included (checked on the scheduled stages when read back). */
      maxRps: Rate,
      /** Response time assumed when sizing VUs. */
      assumedLatencyS: z.number().min(0).finite(),
    }),
    expected: z.strictObject({
      /** Journey starts the k6 scenarios schedule, per journey (integral of the staged rate). */
      arrivals: z.record(z.string(), z.number().min(0)),
      total: z.number().min(0),
    }),
    k6: z.strictObject({
      scenarios: z.record(z.string(), ScenarioSchema),
      thresholds: z.record(z.string(), z.array(ThresholdSchema)),
    }),
    thinkTime: z.strictObject({ medianS: z.number().min(0), p90S: z.number().min(0) }),
    cacheBust: z.boolean(),
    /** Zipf exponent of product popularity, from the profile (absent: the journeys' default, 1). */
    popularity: z.strictObject({ zipfS: z.number().min(0) }).optional(),
    catalogue: z.strictObject({
      categories: z.array(CategorySchema),
      products: z.array(ProductSchema),
      customers: z.array(CustomerSchema).optional(),
    }),
    /** The SLO file the thresholds came from (the CI gate reads the same content). */
    slo: z
      .strictObject({
        name: z.string(),
        file: z.string(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        content: SloSchema,
      })
      .optional(),
    /** A replay plan: the URL list (absolute path) the replay scenario reads. */
    replay: z
      .strictObject({
        file: z.string().min(1),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        urls: z.number().int().min(0),
        /** Run seconds per logged second, after the replay file's own speed-up. */
        timeScale: Rate,
      })
      .optional(),
  })
  .superRefine((plan, ctx) => {
    for (const [name, sc] of Object.entries(plan.k6.scenarios)) {
      if (sc.exec !== REPLAY_EXEC && !Object.values(JOURNEYS).some((j) => j.exec === sc.exec)) {
        ctx.addIssue({
          code: 'custom',
          path: ['k6', 'scenarios', name, 'exec'],
          message: `"${sc.exec}" is not a journey this Rehearse knows`,
        });
      }
    }
  });

export type Plan = z.infer<typeof PlanSchema>;
export type PlanScenario = z.infer<typeof ScenarioSchema>;
export type PlanStage = z.infer<typeof StageSchema>;
export type PlanCatalogue = Plan['catalogue'];
