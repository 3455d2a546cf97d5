// What the cost model needs beyond the record's totals, from telemetry.json: for an AWS run the
// stack's billed shape, the window's usage without a series (Aurora I/O, EFS and NAT bytes, bytes
// between AZs) and the runner fleet's machines; and completed orders from the record when the
// target did not count them. Pure.
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import type { CostInputs } from '../cost/cost-types.ts';
import type { RunRecord } from '../record/record-schema.ts';

/** The agents' chunk interval and the controller's progress tick (runners/distributed defaults). */
const CHUNK_EVERY_S = 2;
const TICK_S = 1;

/**
 * The runner fleet's S3 requests to the run's store, estimated from the record (S3 request
 * metrics are off by default): every chunk is put once and read once; each runner writes a claim,
 * its log and done.json and reads the plan and manifest; the controller lists claims and chunks
 * every tick; each agent reads stop.json every chunk interval.
 */
export function estimateS3Requests(record: RunRecord): { tier1: number; tier2: number } {
  const runners = record.run.runners.length;
  const chunks = record.input.files.length;
  const seconds = record.run.durationS;
  return {
    tier1: chunks + 3 * runners + 3 + Math.ceil((2 * seconds) / TICK_S),
    tier2: chunks + 2 * runners + Math.ceil((runners * seconds) / CHUNK_EVERY_S),
  };
}

/** Orders the store completed, by id: accepted, less those the store does not hold. */
export function completedOrdersOf(record: RunRecord): number | undefined {
  const o = record.orders;
  if (!o) return undefined;
  const missing = o.audit && o.audit.source !== 'none' ? o.audit.missing.count : 0;
  return Math.max(0, o.accepted.length - missing);
}

export function costInputsFrom(
  record: RunRecord,
  tel: Telemetry,
): { inputs: Partial<CostInputs>; assumptions: string[] } {
  const assumptions: string[] = [];
  const inputs: Partial<CostInputs> = {};
  if (tel.orders === undefined) {
    const completed = completedOrdersOf(record);
    if (completed !== undefined) inputs.completedOrders = completed;
  }
  if (tel.source !== 'aws') return { inputs, assumptions };
  if (tel.stack) inputs.stack = tel.stack;
  if (tel.usage) {
    Object.assign(inputs, {
      dbIoRequests: tel.usage.dbIoRequests,
      efsReadBytes: tel.usage.efsReadBytes,
      efsWriteBytes: tel.usage.efsWriteBytes,
      natBytes: tel.usage.natBytes,
      interAzBytes: tel.usage.interAzBytes,
    });
    if (tel.usage.interAzNote) assumptions.push(tel.usage.interAzNote);
    assumptions.push(...tel.usage.notes);
  }
  if (tel.runnerFleet) {
    inputs.runners = tel.runnerFleet.instances.map((i) => ({
      id: i.id,
      type: i.type,
      launchedAt: i.launchedAt,
      terminatedAt: i.terminatedAt,
    }));
    inputs.s3Requests = estimateS3Requests(record);
    assumptions.push(
      `runner fleet S3 requests estimated from the record (${inputs.s3Requests.tier1} PUT/LIST, ${inputs.s3Requests.tier2} GET): S3 request metrics are off by default`,
    );
  }
  return { inputs, assumptions };
}
