// Compares the aggregation with k6's own end-of-test summary (summary.json per runner): the
// request counts must match exactly; p95 only with one runner (k6 cannot merge percentiles
// across runners, so there is nothing to compare against for several).

import type { RunRecord } from '../record/record-schema.ts';

export interface CrossCheck {
  /** Runners with a summary.json, out of all runners. */
  runnersWithSummary: number;
  runners: number;
  k6Requests: number | null;
  recordRequests: number;
  requestsMatch: boolean | null;
  k6P95: number | null;
  recordP95: number | null;
  /** |record - k6| / k6 for p95; null when not comparable. */
  p95Deviation: number | null;
}

export function crossCheck(record: RunRecord): CrossCheck {
  const s = record.k6Summary;
  const complete = s.length > 0 && s.length === record.run.runners.length && s.every((r) => r.requests !== null);
  const k6Requests = complete ? s.reduce((sum, r) => sum + (r.requests ?? 0), 0) : null;
  const single = complete && s.length === 1 ? s[0] : null;
  const k6P95 = single?.p95 ?? null;
  const recordP95 = record.totals.latency.p95;
  return {
    runnersWithSummary: s.length,
    runners: record.run.runners.length,
    k6Requests,
    recordRequests: record.totals.requests,
    requestsMatch: k6Requests === null ? null : k6Requests === record.totals.requests,
    k6P95,
    recordP95,
    p95Deviation: k6P95 !== null && recordP95 !== null && k6P95 > 0 ? Math.abs(recordP95 - k6P95) / k6P95 : null,
  };
}
