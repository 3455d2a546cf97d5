// k6 entry: turns a plan (REHEARSE_PLAN=/absolute/plan.json) into k6 options and exports one
// function per journey. handleSummary writes k6's summary JSON to REHEARSE_SUMMARY.
//
//   k6 run --no-usage-report -e REHEARSE_PLAN=/abs/plan.json -e REHEARSE_SUMMARY=/abs/summary.json \
//     scenarios/k6/entry.ts

import type { Options } from 'k6/options';
import { plan } from './lib/plan-data.ts';

export { abandon } from './journeys/abandon.ts';
export { account } from './journeys/account.ts';
export { browse } from './journeys/browse.ts';
export { cart } from './journeys/cart.ts';
export { checkout } from './journeys/checkout.ts';
export { search } from './journeys/search.ts';
export { replay } from './journeys/replay.ts';

export const options: Options = {
  scenarios: plan.k6.scenarios,
  thresholds: plan.k6.thresholds,
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  tags: { run_id: plan.id },
  // Redirects are followed by lib/request.ts, and only to hosts on the plan's allowlist.
  maxRedirects: 0,
  userAgent: `Rehearse/0.1 (k6; run ${plan.id})`,
};

interface SummaryData {
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

export function handleSummary(data: SummaryData): Record<string, string> {
  const out: Record<string, string> = { stdout: summaryLine(data) + '\n' };
  const file = __ENV.REHEARSE_SUMMARY;
  if (file) out[file] = JSON.stringify(data);
  return out;
}

function summaryLine(data: SummaryData): string {
  const v = (metric: string, stat: string) => data.metrics[metric]?.values[stat] ?? 0;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const checks = v('checks', 'passes') + v('checks', 'fails');
  return (
    `rehearse ${plan.id}: ${v('iterations', 'count')} iterations (${v('dropped_iterations', 'count')} dropped, ` +
    `${Math.round(plan.expected.total)} planned), ${v('http_reqs', 'count')} requests, ` +
    `${pct(v('http_req_failed', 'rate'))} failed, checks ${checks ? pct(v('checks', 'passes') / checks) : 'none'}, ` +
    `p95 ${v('http_req_duration', 'p(95)').toFixed(0)} ms` +
    (__ENV.REHEARSE_SUMMARY ? ` → ${__ENV.REHEARSE_SUMMARY}` : '')
  );
}
