// The run record (runs/<id>/record.json): everything downstream stages read about a run.
// Every field is documented with .describe() so the schema is its own reference; see also
// README.md beside this file. Bump the version in `schema` on any incompatible change.

import { z } from 'zod';
import { InputError } from '../../errors/errors.ts';
import { runOrdersSchema } from '../orders/order-audit-schema.ts';

export const RECORD_SCHEMA_ID = 'rehearse.record/v1';

const count = () => z.number().int().nonnegative();
const nonNeg = () => z.number().nonnegative();
const rate = () => z.number().min(0).max(1);
const ms = () => z.number().nonnegative().nullable();
const isoOrNull = () => z.iso.datetime().nullable();

export const latencySchema = z
  .object({
    count: count().describe('Latency samples (one per request: k6 http_req_duration).'),
    mean: ms().describe('Mean latency, ms (HDR bucket midpoints). null when count is 0.'),
    p50: ms().describe(
      'Median latency, ms. HDR percentiles report the upper edge of the bucket holding that rank (3 significant digits).',
    ),
    p90: ms().describe('90th percentile latency, ms.'),
    p95: ms().describe('95th percentile latency, ms.'),
    p99: ms().describe('99th percentile latency, ms.'),
    max: ms().describe('Largest latency recorded, ms (exact to the µs).'),
  })
  .describe('Latency summary of a histogram, milliseconds with µs resolution.');

const bytesSchema = z.object({
  received: nonNeg().describe('Bytes received (k6 data_received).'),
  sent: nonNeg().describe('Bytes sent (k6 data_sent).'),
});

const countsByKey = () => z.record(z.string(), count());

const requestStats = {
  requests: count().describe('Requests completed (k6 http_reqs).'),
  failed: count().describe(
    'Requests k6 marked failed (http_req_failed = 1: by default any status outside 200-399, or no response).',
  ),
  errorRate: rate().describe('failed / requests; 0 when there were no requests.'),
  latency: latencySchema,
  errorsByStatus: countsByKey().describe(
    'Failed requests by HTTP status ("0" = no response: timeout, refused, reset).',
  ),
  errorsByCode: countsByKey().describe(
    'Failed requests by k6 error_code (e.g. 1050 timeout, 1212 connection refused, 1404 = HTTP 404).',
  ),
  histogram: z
    .string()
    .describe(
      'Latency HDR histogram in µs, hdr-histogram-js encodeIntoCompressedBase64; decode to merge or compare runs exactly.',
    ),
};

export const endpointSchema = z
  .object({
    name: z.string().describe('Endpoint: the k6 request tag `name` (the URL when untagged).'),
    kind: z
      .enum(['page', 'api', 'asset'])
      .optional()
      .describe(
        'page (HTML), api (Store API, AJAX) or asset (CSS, JS, image): the k6 `kind` tag, else inferred from the name ("asset:*", "api:*"). Absent in older records.',
      ),
    ...requestStats,
  })
  .describe('One endpoint of one journey.');

export const timelinePointSchema = z
  .object({
    t: count().describe('Second, unix time (s). The point covers [t, t+1).'),
    requests: count().describe('Requests completed in this second.'),
    failed: count().describe('Failed requests completed in this second.'),
    p50: ms().describe('Median latency of the requests completed in this second, ms; null if none.'),
    p95: ms().describe('95th percentile latency in this second, ms; null if none.'),
    p99: ms().describe('99th percentile latency in this second, ms; null if none.'),
  })
  .describe('One second of the timeline.');

export const overallPointSchema = timelinePointSchema
  .extend({
    checksFailed: count().describe('Failed k6 checks in this second.'),
    droppedIterations: count().describe(
      'Iterations k6 could not start on time in this second (load generator short of VUs).',
    ),
    vus: count()
      .nullable()
      .describe('Active VUs summed over runners (gauge, carried forward); null before the first report.'),
  })
  .describe('One second of the whole-run timeline.');

export const journeySchema = z
  .object({
    name: z
      .string()
      .describe('Journey: the k6 scenario (one scenario per journey). "(no scenario)" for samples without one.'),
    ...requestStats,
    latency: latencySchema.describe(
      "Latency of the journey's pages and API calls (assets apart, see `assets`): what SLO latency limits apply to. All requests when the journey made only assets.",
    ),
    histogram: z.string().describe('HDR histogram (µs, compressed base64) of the same requests as `latency`.'),
    assets: z
      .object({
        requests: count().describe('Asset requests.'),
        failed: count().describe('Failed asset requests.'),
        latency: latencySchema,
      })
      .optional()
      .describe(
        'Static assets (CSS, JS, images) this journey fetched, apart from its pages; absent when it fetched none.',
      ),
    iterations: count().describe('Journey iterations completed (k6 iterations).'),
    droppedIterations: count().describe(
      'Iterations k6 dropped (k6 dropped_iterations): arrivals the generator could not serve.',
    ),
    bytes: bytesSchema.describe('Bytes this journey received and sent.'),
    checks: z
      .object({
        passed: count().describe('Checks that passed.'),
        failed: count().describe('Checks that failed.'),
        byName: z
          .array(
            z.object({
              name: z.string().describe('Check name, as written in check().'),
              passed: count().describe('Times it passed.'),
              failed: count().describe('Times it failed.'),
            }),
          )
          .describe('Per check name, sorted by name.'),
      })
      .describe('k6 check results of this journey.'),
    endpoints: z.array(endpointSchema).describe('Endpoints of this journey, sorted by name.'),
    timeline: z
      .array(timelinePointSchema)
      .describe("Per second, from the journey's first request to the end of the run."),
  })
  .describe('One journey (k6 scenario).');

export const runMetaSchema = z
  .object({
    id: z.string().min(1).describe('Run id: plan.json `id`, else the run directory name.'),
    startedAt: isoOrNull().describe('Start of the first second with samples (ISO 8601, UTC); null for an empty run.'),
    endedAt: isoOrNull().describe('End of the last second with samples (ISO 8601, UTC).'),
    durationS: nonNeg().describe('endedAt - startedAt, seconds.'),
    target: z
      .object({
        kind: z.string().nullable().describe('plan.target.kind (e.g. "local", "aws"); null if unknown.'),
        baseUrl: z.string().nullable().describe('plan.target.baseUrl; null if unknown.'),
      })
      .describe('What was load-tested.'),
    profile: z.string().nullable().describe('plan.profile.name: the traffic profile; null if unknown.'),
    plannedPeakRate: nonNeg()
      .nullable()
      .describe(
        'plan.run.peakRate: planned peak journey starts (iterations) per second, all journeys; null if unknown.',
      ),
    plannedDurationS: nonNeg().nullable().describe('plan.run.durationS: planned duration, seconds; null if unknown.'),
    expectedTotal: nonNeg()
      .nullable()
      .describe(
        'plan.expected.total: journey starts (iterations) the plan scheduled in total; compare with totals.iterations + totals.droppedIterations. null if unknown.',
      ),
    k6Version: z
      .string()
      .nullable()
      .describe('k6 version the runners used (plan.k6Version or plan.k6.version); null if unknown.'),
    runners: z.array(z.string()).describe('Runner names: the directories under raw/.'),
    interrupted: z
      .boolean()
      .describe(
        'True when the run was stopped before its planned end (e.g. Ctrl-C): the numbers cover only part of the plan.',
      ),
    generator: z
      .object({
        maxVUs: count()
          .nullable()
          .describe(
            "Sum of maxVUs over the plan's scenarios (all runners together); null when plan.json does not say.",
          ),
        peakVUs: count()
          .nullable()
          .describe('Most active VUs in one second, summed over runners (k6 vus gauge); null when k6 reported none.'),
        runners: z
          .array(
            z.object({
              runner: z.string().describe('Runner name (directory under raw/).'),
              insufficientVUs: count().describe(
                '"Insufficient VUs" warnings in the runner\'s k6.log: k6 wanted to start an iteration and had no VU left.',
              ),
              cpuPeak: nonNeg()
                .nullable()
                .describe(
                  'Highest k6 CPU use over a 5 s window, in cores (1 = one core fully busy), from /proc/<pid>/stat; null when not measured.',
                ),
              cpuMean: nonNeg().nullable().describe('Mean k6 CPU use over the run, in cores; null when not measured.'),
            }),
          )
          .describe('Per runner.'),
      })
      .optional()
      .describe(
        'Whether the load generator kept up: a generator short of VUs or CPU delays requests itself, so its latency figures and achieved rate cannot be trusted. Absent in older records.',
      ),
    partial: z
      .array(
        z.object({
          runner: z.string().describe('Runner that held the segment ("(none)" if no runner claimed it).'),
          segment: z.string().describe('k6 execution segment it was to run, e.g. "1/4:2/4".'),
          reason: z.string().describe('What happened, when, and how much of its share ran.'),
        }),
      )
      .optional()
      .describe(
        'Distributed runs only, absent otherwise: the segments that did not run to their end, each { runner, segment (k6 execution segment, e.g. "1/4:2/4"), reason (what happened, when, how much of its share ran) }. Their samples up to the failure are in the numbers, but the plan was not fully run. Empty: every segment finished.',
      ),
  })
  .describe('Run metadata.');

export const totalsSchema = z
  .object({
    ...requestStats,
    achievedRate: nonNeg().describe('requests / durationS: mean requests per second.'),
    peakRate: count().describe('Most requests completed in one second.'),
    iterations: count().describe('Iterations completed, all journeys.'),
    droppedIterations: count().describe('Iterations dropped, all journeys.'),
    droppedRate: rate().describe('droppedIterations / (iterations + droppedIterations); 0 when both are 0.'),
    checks: z
      .object({ passed: count().describe('Checks that passed.'), failed: count().describe('Checks that failed.') })
      .describe('k6 checks, all journeys.'),
    bytes: bytesSchema.describe('Bytes received and sent, all journeys.'),
  })
  .describe(
    "Whole-run totals (the sum of all journeys; the histogram is the exact merge of every endpoint, assets included: compare with k6's own summary).",
  );

export const inputSchema = z
  .object({
    files: z
      .array(
        z.object({
          runner: z.string().describe('Runner that wrote the file.'),
          file: z.string().describe('Path relative to the run directory.'),
          bytes: count().describe('Bytes read (decompressed).'),
          lines: count().describe('Data lines (header excluded).'),
          samples: count().describe('Well-formed lines.'),
          corruptLines: count().describe('Lines skipped as corrupt.'),
        }),
      )
      .describe('One entry per sample file read.'),
    lines: count().describe('Data lines, all files.'),
    samples: count().describe('Well-formed lines, all files.'),
    corruptLines: count().describe(
      'Lines that could not be used (truncated, wrong field count, bad number): skipped, not fatal.',
    ),
    corruptExamples: z
      .array(
        z.object({
          file: z.string().describe('Path relative to the run directory.'),
          line: count().describe('1-based line number in the file.'),
          reason: z.string().describe('What is wrong with the line.'),
          text: z.string().describe('Start of the line, at most 200 characters.'),
        }),
      )
      .describe('The first few corrupt lines.'),
    lateSamples: count().describe(
      'Samples older than the already-closed seconds (k6 output disorder beyond tolerance): counted in totals, missing from the timeline.',
    ),
    notes: z.array(z.string()).describe('Other input remarks (damaged gzip, missing header, missing summary.json).'),
  })
  .describe('How good the input was. Read this before trusting the numbers.');

const maybe = () => z.number().nullable();
export const k6SummarySchema = z
  .object({
    runner: z.string().describe('Runner name (directory under raw/).'),
    requests: maybe().describe('metrics.http_reqs.values.count'),
    failed: maybe().describe('metrics.http_req_failed.values.passes (rate metric: passes = failed requests)'),
    p50: maybe().describe('metrics.http_req_duration.values.med, ms'),
    p90: maybe().describe("metrics.http_req_duration.values['p(90)'], ms"),
    p95: maybe().describe("metrics.http_req_duration.values['p(95)'], ms"),
    p99: maybe().describe("metrics.http_req_duration.values['p(99)'], ms (only if summaryTrendStats asked for it)"),
    max: maybe().describe('metrics.http_req_duration.values.max, ms'),
    avg: maybe().describe('metrics.http_req_duration.values.avg, ms'),
    iterations: maybe().describe('metrics.iterations.values.count'),
    droppedIterations: maybe().describe('metrics.dropped_iterations.values.count (null when k6 dropped none)'),
    checksPassed: maybe().describe('metrics.checks.values.passes'),
    checksFailed: maybe().describe('metrics.checks.values.fails'),
    testRunDurationMs: maybe().describe('state.testRunDurationMs'),
  })
  .describe(
    "k6's own end-of-test numbers for one runner (raw/<runner>/summary.json), kept to cross-check the aggregation.",
  );

export const runRecordSchema = z
  .object({
    schema: z.literal(RECORD_SCHEMA_ID).describe('Record format and version.'),
    generatedAt: z.iso.datetime().describe('When this record was written (ISO 8601, UTC).'),
    run: runMetaSchema,
    totals: totalsSchema,
    journeys: z.array(journeySchema).describe('Per journey, sorted by name.'),
    timeline: z
      .array(overallPointSchema)
      .describe(
        'Whole run, one point per second, in time order (seconds with no data inside the run are zero points).',
      ),
    input: inputSchema,
    k6Summary: z.array(k6SummarySchema).describe('Per runner that wrote a summary.json.'),
    orders: runOrdersSchema
      .optional()
      .describe("Runs that placed orders: the accepted order ids, and the store's side of them (audit)."),
  })
  .describe('Rehearse run record.');

export type RunRecord = z.infer<typeof runRecordSchema>;
export type JourneyRecord = z.infer<typeof journeySchema>;
export type EndpointRecord = z.infer<typeof endpointSchema>;
export type TimelinePointRecord = z.infer<typeof timelinePointSchema>;
export type OverallPointRecord = z.infer<typeof overallPointSchema>;
export type K6SummaryRecord = z.infer<typeof k6SummarySchema>;
export type RunMeta = z.infer<typeof runMetaSchema>;

/** A record that is missing, unreadable or not of this schema: bad input, so the CLI exits 2. */
export class RecordError extends InputError {}

/** Validates a parsed record; throws an error naming the source, every bad field, and the fix. */
export function parseRecord(data: unknown, source = 'record.json'): RunRecord {
  const schemaId = (data as { schema?: unknown } | null)?.schema;
  if (typeof schemaId === 'string' && schemaId !== RECORD_SCHEMA_ID) {
    throw new RecordError(
      `${source}: schema is "${schemaId}", this build reads "${RECORD_SCHEMA_ID}"; re-run the aggregate stage on the run directory (aggregateRun, reports/aggregate/aggregate-run.ts) or read it with the matching Rehearse version`,
    );
  }
  const result = runRecordSchema.safeParse(data);
  if (!result.success) {
    throw new RecordError(
      `${source}: not a valid ${RECORD_SCHEMA_ID} run record:\n${z.prettifyError(result.error)}\nFix: regenerate it from the raw samples with the aggregate stage (aggregateRun, reports/aggregate/aggregate-run.ts).`,
    );
  }
  return result.data;
}
