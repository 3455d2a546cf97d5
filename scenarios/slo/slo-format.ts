// The SLO file format (version 1) as a pure zod schema: no Node APIs, so the plan schema (which
// the k6 side type-checks against) can embed an SLO. Reading files: slo-schema.ts, slo-file.ts.
import { z } from 'zod';

const share = z.number().min(0).max(1);
const ms = z.number().positive();

export const JourneySloSchema = z.strictObject({
  /** Highest acceptable p95 of the journey's requests, ms. */
  p95Ms: ms.optional(),
  /** Highest acceptable p99 of the journey's requests, ms. */
  p99Ms: ms.optional(),
  /** Highest acceptable failed/requests for this journey (overrides the top-level errorRate). */
  errorRate: share.optional(),
});

export const SloSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Highest acceptable failed/requests over the whole run. */
  errorRate: share,
  /** Lowest acceptable share of k6 checks that pass (content, not just status). Default 0.99. */
  checksPass: share.default(0.99),
  /** Lowest acceptable share of checkout attempts that produced an order. */
  checkoutSuccess: share.optional(),
  /** Per journey (k6 scenario name): latency and error limits. */
  journeys: z.record(z.string(), JourneySloSchema).default({}),
  /** Safety: stop the load early once failed/requests passes this (k6 abortOnFail). Default 0.5. */
  abortOnErrorRate: share.default(0.5),
});

export type Slo = z.infer<typeof SloSchema>;
export type JourneySlo = z.infer<typeof JourneySloSchema>;
