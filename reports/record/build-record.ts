// Pure: aggregated samples + run metadata → a run record (validated shape, see record-schema.ts).

import type { SampleAggregate } from '../aggregate/aggregate-samples.ts';
import { encodeHistogram, latencyStats } from '../aggregate/hdr-buckets.ts';
import type { RequestKind } from '../aggregate/request-kind.ts';
import type { EndpointTotals, JourneyTotals } from '../aggregate/run-totals.ts';
import type { PlanMeta } from './run-inputs.ts';
import {
  RECORD_SCHEMA_ID,
  type EndpointRecord,
  type JourneyRecord,
  type K6SummaryRecord,
  type RunRecord,
} from './record-schema.ts';

export interface BuildRecordInput {
  aggregate: SampleAggregate;
  runId: string;
  runners: string[];
  plan: PlanMeta;
  k6Summary: K6SummaryRecord[];
  /** The run was stopped before its planned end. */
  interrupted?: boolean;
  /** Injected so the function stays pure and tests are repeatable. */
  generatedAt: Date;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.min(1, a / b) : 0);
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedCounts = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]));

function requestStats(e: EndpointTotals) {
  return {
    requests: e.requests,
    failed: e.failed,
    errorRate: ratio(e.failed, e.requests),
    latency: latencyStats(e.hist),
    errorsByStatus: sortedCounts(e.errorsByStatus),
    errorsByCode: sortedCounts(e.errorsByCode),
    histogram: encodeHistogram(e.hist),
  };
}

function endpointRecord(e: EndpointTotals): EndpointRecord {
  const { requests, ...rest } = requestStats(e);
  return { name: e.name, kind: e.kind, requests, ...rest };
}

const PAGES_AND_API: ReadonlySet<RequestKind> = new Set(['page', 'api']);
const ASSETS: ReadonlySet<RequestKind> = new Set(['asset']);

function journeyRecord(j: JourneyTotals, aggregate: SampleAggregate): JourneyRecord {
  const byCheck = [...j.checks].map(([name, c]) => ({ name, passed: c.passed, failed: c.failed })).sort(byName);
  const all = requestStats(j.sum());
  const pages = j.sum(PAGES_AND_API);
  const assets = j.sum(ASSETS);
  // Latency means pages and API calls; a journey of assets only (an odd script) keeps its own.
  const timed = pages.requests > 0 || assets.requests === 0 ? pages : assets;
  return {
    name: j.name,
    ...all,
    latency: latencyStats(timed.hist),
    histogram: encodeHistogram(timed.hist),
    ...(assets.requests > 0
      ? { assets: { requests: assets.requests, failed: assets.failed, latency: latencyStats(assets.hist) } }
      : {}),
    iterations: j.iterations,
    droppedIterations: j.droppedIterations,
    bytes: { received: j.bytesReceived, sent: j.bytesSent },
    checks: {
      passed: byCheck.reduce((s, c) => s + c.passed, 0),
      failed: byCheck.reduce((s, c) => s + c.failed, 0),
      byName: byCheck,
    },
    endpoints: [...j.endpoints.values()].map(endpointRecord).sort(byName),
    timeline: aggregate.timeline.journeys.get(j.name) ?? [],
  };
}

const isEmpty = (j: JourneyTotals) =>
  j.endpoints.size === 0 &&
  j.iterations === 0 &&
  j.droppedIterations === 0 &&
  j.checks.size === 0 &&
  j.bytesReceived === 0;

export function buildRecord(input: BuildRecordInput): RunRecord {
  const { aggregate, plan } = input;
  const overall = aggregate.totals.overall();
  const timeline = aggregate.timeline.overall;
  const first = timeline.length > 0 ? timeline[0].t : null;
  const last = timeline.length > 0 ? timeline[timeline.length - 1].t + 1 : null;
  const durationS = first !== null && last !== null ? last - first : 0;
  const totalIterations = overall.iterations + overall.droppedIterations;
  return {
    schema: RECORD_SCHEMA_ID,
    generatedAt: input.generatedAt.toISOString(),
    run: {
      id: plan.id ?? input.runId,
      startedAt: first !== null ? new Date(first * 1000).toISOString() : null,
      endedAt: last !== null ? new Date(last * 1000).toISOString() : null,
      durationS,
      target: { kind: plan.targetKind, baseUrl: plan.baseUrl },
      profile: plan.profile,
      plannedPeakRate: plan.peakRate,
      plannedDurationS: plan.durationS,
      expectedTotal: plan.expectedTotal,
      k6Version: plan.k6Version,
      runners: input.runners,
      interrupted: input.interrupted ?? false,
    },
    totals: {
      ...requestStats(overall.requests),
      achievedRate: durationS > 0 ? overall.requests.requests / durationS : 0,
      peakRate: timeline.reduce((m, p) => Math.max(m, p.requests), 0),
      iterations: overall.iterations,
      droppedIterations: overall.droppedIterations,
      droppedRate: ratio(overall.droppedIterations, totalIterations),
      checks: overall.checks,
      bytes: { received: overall.bytesReceived, sent: overall.bytesSent },
    },
    journeys: [...aggregate.totals.journeys.values()]
      .filter((j) => !isEmpty(j))
      .map((j) => journeyRecord(j, aggregate))
      .sort(byName),
    timeline,
    input: {
      files: aggregate.input.files.map((f) => ({
        runner: f.runner,
        file: f.file,
        bytes: f.bytes,
        lines: f.lines,
        samples: f.samples,
        corruptLines: f.corruptLines,
      })),
      lines: aggregate.input.lines,
      samples: aggregate.input.samples,
      corruptLines: aggregate.input.corruptLines,
      corruptExamples: aggregate.input.corruptExamples,
      lateSamples: aggregate.input.lateSamples,
      notes: aggregate.input.notes,
    },
    k6Summary: input.k6Summary,
    ...ordersRecord(aggregate),
  };
}

/** record.orders when the run placed orders: each accepted id once, sorted. */
function ordersRecord(aggregate: SampleAggregate): Pick<RunRecord, 'orders'> {
  const { ids, withoutId } = aggregate.orders ?? { ids: [], withoutId: 0 };
  if (ids.length === 0 && withoutId === 0) return {};
  const accepted = [...new Set(ids)].sort((a, b) => a - b);
  return { orders: { accepted, repeatedIds: ids.length - accepted.length, withoutId } };
}
