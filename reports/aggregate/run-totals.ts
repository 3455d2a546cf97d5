// Whole-run counters and histograms per journey (k6 scenario) and endpoint (k6 `name` tag).
// Everything here merges exactly (sums and HDR add), so runners can be aggregated apart and
// combined, and the result equals aggregating all their samples together.

import { addInto, newTotalHistogram, type Histogram } from './hdr-buckets.ts';
import type { RequestKind } from './request-kind.ts';

export const NO_SCENARIO = '(no scenario)';
export const NO_NAME = '(unnamed)';

export class EndpointTotals {
  /** Latency of every request, µs. */
  readonly hist: Histogram = newTotalHistogram();
  requests = 0;
  failed = 0;
  readonly errorsByStatus = new Map<string, number>();
  readonly errorsByCode = new Map<string, number>();
  /** Set from the endpoint's first sample (request-kind.ts); an endpoint is one kind of request. */
  constructor(
    readonly name: string,
    public kind: RequestKind = 'page',
  ) {}

  merge(o: EndpointTotals): void {
    addInto(this.hist, o.hist);
    this.requests += o.requests;
    this.failed += o.failed;
    addCounts(this.errorsByStatus, o.errorsByStatus);
    addCounts(this.errorsByCode, o.errorsByCode);
  }
}

export interface CheckCount {
  passed: number;
  failed: number;
}

export class JourneyTotals {
  readonly endpoints = new Map<string, EndpointTotals>();
  iterations = 0;
  droppedIterations = 0;
  bytesReceived = 0;
  bytesSent = 0;
  readonly checks = new Map<string, CheckCount>();
  /** id: dense index, used by the timeline for per-second arrays. */
  constructor(
    readonly name: string,
    readonly id: number,
  ) {}

  endpoint(name: string, kind: RequestKind = 'page'): EndpointTotals {
    const key = name === '' ? NO_NAME : name;
    let e = this.endpoints.get(key);
    if (e === undefined) {
      e = new EndpointTotals(key, kind);
      this.endpoints.set(key, e);
    }
    return e;
  }

  check(name: string): CheckCount {
    let c = this.checks.get(name);
    if (c === undefined) {
      c = { passed: 0, failed: 0 };
      this.checks.set(name, c);
    }
    return c;
  }

  merge(o: JourneyTotals): void {
    for (const e of o.endpoints.values()) this.endpoint(e.name, e.kind).merge(e);
    this.iterations += o.iterations;
    this.droppedIterations += o.droppedIterations;
    this.bytesReceived += o.bytesReceived;
    this.bytesSent += o.bytesSent;
    for (const [name, c] of o.checks) {
      const mine = this.check(name);
      mine.passed += c.passed;
      mine.failed += c.failed;
    }
  }

  /** Sum over endpoints (of the given kinds): journey numbers are derived, so they cannot drift from the endpoint rows. */
  sum(kinds?: ReadonlySet<RequestKind>): EndpointTotals {
    const s = new EndpointTotals(this.name);
    for (const e of this.endpoints.values()) if (!kinds || kinds.has(e.kind)) s.merge(e);
    return s;
  }
}

export class RunTotals {
  readonly journeys = new Map<string, JourneyTotals>();
  /** Journeys by id, for the timeline's dense arrays. */
  readonly byId: JourneyTotals[] = [];

  journey(scenario: string): JourneyTotals {
    const key = scenario === '' ? NO_SCENARIO : scenario;
    let j = this.journeys.get(key);
    if (j === undefined) {
      j = new JourneyTotals(key, this.byId.length);
      this.journeys.set(key, j);
      this.byId.push(j);
    }
    return j;
  }

  merge(o: RunTotals): void {
    for (const j of o.journeys.values()) this.journey(j.name).merge(j);
  }

  /** Whole-run endpoint-shaped sum (latency, requests, failures) and journey-level counters. */
  overall(): {
    requests: EndpointTotals;
    iterations: number;
    droppedIterations: number;
    bytesReceived: number;
    bytesSent: number;
    checks: CheckCount;
  } {
    const requests = new EndpointTotals('(all)');
    let iterations = 0;
    let droppedIterations = 0;
    let bytesReceived = 0;
    let bytesSent = 0;
    const checks = { passed: 0, failed: 0 };
    for (const j of this.journeys.values()) {
      for (const e of j.endpoints.values()) requests.merge(e);
      iterations += j.iterations;
      droppedIterations += j.droppedIterations;
      bytesReceived += j.bytesReceived;
      bytesSent += j.bytesSent;
      for (const c of j.checks.values()) {
        checks.passed += c.passed;
        checks.failed += c.failed;
      }
    }
    return { requests, iterations, droppedIterations, bytesReceived, bytesSent, checks };
  }
}

/** Merge several runners' totals into a new object (inputs are left unchanged). */
export function mergeTotals(parts: Iterable<RunTotals>): RunTotals {
  const out = new RunTotals();
  for (const p of parts) out.merge(p);
  return out;
}

export function addCounts(target: Map<string, number>, source: Map<string, number>): void {
  for (const [k, v] of source) target.set(k, (target.get(k) ?? 0) + v);
}

export function bump(target: Map<string, number>, key: string, by = 1): void {
  target.set(key, (target.get(key) ?? 0) + by);
}
