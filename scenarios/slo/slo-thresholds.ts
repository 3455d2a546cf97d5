// An SLO as k6 thresholds, so a breached objective fails the k6 run itself (exit 99) and a
// store that falls over stops the load early (abortOnFail). Pure. Metric names, and the
// checkout_success rate the checkout journey must emit: scenarios/slo/README.md.

import type { Slo } from './slo-format.ts';

export type K6Threshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** The k6 Rate metric the checkout journey adds to (true = the attempt produced an order). */
export const CHECKOUT_SUCCESS_METRIC = 'checkout_success';
/**
 * The k6 Trend of page and API request durations, assets left out (k6/lib/page-api-duration.ts):
 * the SLO's latency limits apply to it, as the gate's journey latency does.
 */
export const PAGE_API_DURATION_METRIC = 'rehearse_page_api_duration';
/** The journey whose presence in a plan means CHECKOUT_SUCCESS_METRIC exists. */
export const CHECKOUT_JOURNEY = 'checkout';

export interface ThresholdOptions {
  /** k6 scenario names in the plan (one per journey). SLO journeys not among them are skipped. */
  scenarios: readonly string[];
  /** Abort once this share of requests fails; null = never. */
  abortErrorRate: number | null;
  /** How long k6 waits before an abort threshold may stop the run (a k6 duration). */
  delayAbortEval: string;
}

export interface SloThresholds {
  thresholds: Record<string, K6Threshold[]>;
  /** Objectives left out because the plan has nothing to measure them on, in words. */
  skipped: string[];
}

/** Thresholds for a plan without an SLO: the abort only. */
export function abortThresholds(abortErrorRate: number | null, delayAbortEval: string): Record<string, K6Threshold[]> {
  return abortErrorRate === null ? {} : { http_req_failed: [abortThreshold(abortErrorRate, delayAbortEval)] };
}

export function sloThresholds(slo: Slo, o: ThresholdOptions): SloThresholds {
  const thresholds: Record<string, K6Threshold[]> = {};
  const skipped: string[] = [];
  const add = (metric: string, t: K6Threshold) => (thresholds[metric] ??= []).push(t);

  add('http_req_failed', `rate<=${num(slo.errorRate)}`);
  if (o.abortErrorRate !== null) add('http_req_failed', abortThreshold(o.abortErrorRate, o.delayAbortEval));
  add('checks', `rate>=${num(slo.checksPass)}`);
  if (slo.checkoutSuccess !== undefined) {
    // k6 refuses a threshold on a metric no script defines; only the checkout journey defines it.
    if (o.scenarios.includes(CHECKOUT_JOURNEY)) add(CHECKOUT_SUCCESS_METRIC, `rate>=${num(slo.checkoutSuccess)}`);
    else skipped.push(`checkoutSuccess: the plan has no ${CHECKOUT_JOURNEY} journey`);
  }
  for (const [journey, js] of Object.entries(slo.journeys)) {
    if (!o.scenarios.includes(journey)) {
      skipped.push(`journeys.${journey}: the plan has no ${journey} scenario`);
      continue;
    }
    // Pages and API calls only: assets are reported apart and never judged by a latency limit.
    const duration = `${PAGE_API_DURATION_METRIC}{scenario:${journey}}`;
    if (js.p95Ms !== undefined) add(duration, `p(95)<=${num(js.p95Ms)}`);
    if (js.p99Ms !== undefined) add(duration, `p(99)<=${num(js.p99Ms)}`);
    if (js.errorRate !== undefined) add(`http_req_failed{scenario:${journey}}`, `rate<=${num(js.errorRate)}`);
  }
  return { thresholds, skipped };
}

function abortThreshold(rate: number, delayAbortEval: string): K6Threshold {
  return { threshold: `rate<${num(rate)}`, abortOnFail: true, delayAbortEval };
}

/** Plain decimal (k6's threshold parser takes no exponent): 0.01 → "0.01", 1500 → "1500". */
function num(x: number): string {
  return x.toFixed(9).replace(/\.?0+$/, '') || '0';
}
