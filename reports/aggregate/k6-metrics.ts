// The k6 metrics the aggregator uses, as small integer codes so the hot loop switches on numbers.
// Matching works on the raw bytes of the metric_name field: no string is made for the ~half of
// k6's lines (http_req_blocked, http_req_waiting, ...) that the record does not use.

export const Metric = {
  other: 0,
  httpReqs: 1,
  httpReqDuration: 2,
  httpReqFailed: 3,
  checks: 4,
  iterations: 5,
  droppedIterations: 6,
  dataReceived: 7,
  dataSent: 8,
  vus: 9,
  /** Rehearse's own: one sample per order the store accepted, its id in a tag (scenarios/k6/journeys/checkout.ts). */
  orders: 10,
} as const;
export type MetricCode = (typeof Metric)[keyof typeof Metric];

const NAMES: ReadonlyArray<readonly [string, MetricCode]> = [
  ['http_reqs', Metric.httpReqs],
  ['http_req_duration', Metric.httpReqDuration],
  ['http_req_failed', Metric.httpReqFailed],
  ['checks', Metric.checks],
  ['iterations', Metric.iterations],
  ['dropped_iterations', Metric.droppedIterations],
  ['data_received', Metric.dataReceived],
  ['data_sent', Metric.dataSent],
  ['vus', Metric.vus],
  ['rehearse_orders', Metric.orders],
];

const byName = new Map<string, MetricCode>(NAMES);

// Candidates grouped by byte length: a length miss (the usual case for unused metrics) costs one
// array read. Names are compared four bytes at a time.
interface Candidate {
  code: MetricCode;
  words: Int32Array;
  rest: Uint8Array;
}
const byLength: Candidate[][] = [];
for (const [name, code] of NAMES) {
  const bytes = Buffer.from(name, 'latin1');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const words = new Int32Array(bytes.length >> 2).map((_, k) => view.getInt32(4 * k, true));
  (byLength[bytes.length] ??= []).push({ code, words, rest: bytes.subarray(words.length * 4) });
}

/** Metric code for a metric name given as a string (slow path, quoted lines). */
export function metricCodeOf(name: string): MetricCode {
  return byName.get(name) ?? Metric.other;
}

/** Metric code for the metric name in view[start, end). */
export function metricCodeAt(view: DataView, start: number, end: number): MetricCode {
  const candidates = byLength[end - start];
  if (candidates === undefined) return Metric.other;
  outer: for (let c = 0; c < candidates.length; c++) {
    const { words, rest, code } = candidates[c];
    for (let k = 0; k < words.length; k++) {
      if (view.getInt32(start + 4 * k, true) !== words[k]) continue outer;
    }
    const at = start + 4 * words.length;
    for (let i = 0; i < rest.length; i++) {
      if (view.getUint8(at + i) !== rest[i]) continue outer;
    }
    return code;
  }
  return Metric.other;
}
