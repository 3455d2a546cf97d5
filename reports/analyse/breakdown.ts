// Where the errors were (status, k6 error code, failed checks, endpoints), and checkout
// reconciliation: orders the store said it accepted (successful responses of endpoints named like
// "checkout") against orders it persisted (telemetry.orders).

import { requestKind } from '../aggregate/request-kind.ts';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { RunRecord } from '../record/record-schema.ts';

export interface ErrorBreakdown {
  byStatus: Array<{ key: string; count: number }>;
  byCode: Array<{ key: string; count: number }>;
  /** Failed k6 checks by journey and check name, most first. */
  byCheck: Array<{ journey: string; check: string; failed: number; passed: number }>;
  /** Endpoints with failures, most first. */
  byEndpoint: Array<{ journey: string; endpoint: string; failed: number; requests: number }>;
}

const sorted = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

export function errorBreakdown(record: RunRecord): ErrorBreakdown {
  return {
    byStatus: sorted(record.totals.errorsByStatus),
    byCode: sorted(record.totals.errorsByCode),
    byCheck: record.journeys
      .flatMap((j) =>
        j.checks.byName
          .filter((c) => c.failed > 0)
          .map((c) => ({ journey: j.name, check: c.name, failed: c.failed, passed: c.passed })),
      )
      .sort((a, b) => b.failed - a.failed),
    byEndpoint: record.journeys
      .flatMap((j) =>
        j.endpoints
          .filter((e) => e.failed > 0)
          .map((e) => ({ journey: j.name, endpoint: e.name, failed: e.failed, requests: e.requests })),
      )
      .sort((a, b) => b.failed - a.failed),
  };
}

export interface CheckoutReconciliation {
  /** Endpoints counted as checkout: API calls whose name contains "checkout" (isCheckoutAttempt). */
  endpoints: string[];
  attempts: number;
  /** Successful checkout responses (requests k6 did not mark failed). */
  accepted: number;
  /** From telemetry.orders; null when the target did not count them. */
  persisted: number | null;
  /** accepted - persisted: orders the shopper was told went through but the store did not keep. */
  missing: number | null;
}

export const CHECKOUT_ENDPOINT = /checkout/i;

/**
 * An order can only come from an API call (the Store API's POST checkout, wc-ajax=checkout): a GET
 * of the checkout page, as a replay of access logs makes, is a page view, not an attempt.
 */
export function isCheckoutAttempt(e: { name: string; kind?: string }): boolean {
  return CHECKOUT_ENDPOINT.test(e.name) && requestKind(e.kind ?? '', e.name) === 'api';
}

export function reconcileCheckout(record: RunRecord, tel: Telemetry | null): CheckoutReconciliation | null {
  const eps = record.journeys.flatMap((j) => j.endpoints.filter(isCheckoutAttempt).map((e) => ({ j: j.name, e })));
  const persisted = tel?.orders?.persisted ?? null;
  if (eps.length === 0 && persisted === null) return null;
  const attempts = eps.reduce((a, x) => a + x.e.requests, 0);
  const accepted = eps.reduce((a, x) => a + x.e.requests - x.e.failed, 0);
  return {
    endpoints: eps.map((x) => `${x.j} ${x.e.name}`),
    attempts,
    accepted,
    persisted,
    missing: persisted === null ? null : accepted - persisted,
  };
}
