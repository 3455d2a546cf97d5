// The contract between the CSV reader and whatever consumes its samples.

import type { MetricCode } from './k6-metrics.ts';

/** Tags of a sample. One object is shared by every line with the same tag columns. */
export interface SampleTags {
  readonly scenario: string;
  readonly name: string;
  readonly status: string;
  readonly check: string;
  readonly errorCode: string;
  /** The accepted order's id (order_id in extra_tags or metadata) on rehearse_orders samples; '' otherwise. */
  readonly orderId: string;
  /** The journeys' kind tag: "page", "api" or "asset"; "" when the run's scripts did not set it. */
  readonly kind: string;
  /** Fields in a line carrying these tags (3 + tag columns): lets a cache hit validate the line. */
  readonly fieldCount: number;
  /** Free slot for the sink to memoise what it derives from these tags (e.g. its group objects). */
  memo: unknown;
}

export interface SampleSink {
  /** t: unix seconds (may be fractional); value: the raw metric_value. */
  onSample(metric: MetricCode, t: number, value: number, tags: SampleTags): void;
}

export interface CorruptLine {
  file: string;
  line: number;
  reason: string;
  text: string;
}

export interface FileStats {
  file: string;
  runner: string;
  bytes: number;
  /** Data lines read (header lines excluded). */
  lines: number;
  /** Well-formed data lines, including metrics the record does not use. */
  samples: number;
  corruptLines: number;
  notes: string[];
}
