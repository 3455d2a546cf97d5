// The sample sink: routes each parsed k6 sample into the whole-run totals and the per-second
// timeline. Group lookups are memoised on the parser's shared tag objects, so the hot path is a
// switch, a few additions and at most two histogram records.

import type { SampleSink, SampleTags } from './k6-csv-reader.ts';
import { Metric, type MetricCode } from './k6-metrics.ts';
import { msToMicros } from './hdr-buckets.ts';
import { bump, RunTotals, type CheckCount, type EndpointTotals, type JourneyTotals } from './run-totals.ts';
import { TimelineBuilder, type TimelineOptions } from './timeline.ts';
import { requestKind, type RequestKind } from './request-kind.ts';

interface Memo {
  owner: RunAggregator;
  journey: JourneyTotals;
  endpoint: EndpointTotals | null; // resolved lazily: only request metrics have one
  check: CheckCount | null;
  kind: RequestKind;
}

export interface AggregatorOptions extends TimelineOptions {
  /** Runners feeding this aggregator (default 1). */
  runners?: number;
  /** Disorder tolerated in k6 output, seconds (default 5). */
  latenessS?: number;
}

export class RunAggregator implements SampleSink {
  readonly totals = new RunTotals();
  /** Ids of accepted orders in sample order (rare: one per checkout), and rehearse_orders samples without one. */
  readonly orderIds: number[] = [];
  ordersWithoutId = 0;
  readonly timeline: TimelineBuilder;
  private readonly lateness: number;
  // Newest whole second seen per runner (+Infinity once a runner is done). Every later sample
  // of runner r is >= its newest - lateness, so seconds before min(newest) - lateness are complete.
  private readonly newest: number[];
  private runnerIndex = 0;
  private nextNewest = -Infinity; // the current runner's newest + 1: one compare per sample
  private watermark = -Infinity;

  constructor(opts: AggregatorOptions = {}) {
    this.timeline = new TimelineBuilder(opts);
    this.lateness = opts.latenessS ?? 5;
    this.newest = new Array<number>(opts.runners ?? 1).fill(-Infinity);
  }

  /** Index of the runner whose samples come next. */
  set runner(i: number) {
    this.runnerIndex = i;
    this.nextNewest = this.newest[i] + 1;
  }

  get runner(): number {
    return this.runnerIndex;
  }

  /** The runner has no more samples: it no longer holds seconds open. */
  runnerDone(i: number): void {
    this.newest[i] = Infinity;
    if (i === this.runnerIndex) this.nextNewest = Infinity;
    this.advance();
  }

  /** Close every open second (end of input). */
  finish(): void {
    this.timeline.finish();
  }

  private raiseNewest(t: number): void {
    const s = Math.floor(t);
    this.newest[this.runnerIndex] = s;
    this.nextNewest = s + 1;
    this.advance();
  }

  private advance(): void {
    let min = Infinity;
    for (const n of this.newest) if (n < min) min = n;
    const wm = min - this.lateness;
    if (wm > this.watermark && wm !== Infinity) {
      this.watermark = wm;
      this.timeline.advance(wm);
    }
  }

  onSample(metric: MetricCode, t: number, value: number, tags: SampleTags): void {
    if (t >= this.nextNewest) this.raiseNewest(t);
    const tl = this.timeline;
    if (metric === Metric.vus) {
      // A gauge without a scenario: it belongs to the runner, not to a journey.
      const o = tl.second(t);
      if (o !== null && !(value <= (o.vus[this.runner] ?? -1))) o.vus[this.runner] = value;
      return;
    }
    let m = tags.memo as Memo | undefined;
    if (m === undefined || m.owner !== this) {
      m = {
        owner: this,
        journey: this.totals.journey(tags.scenario),
        endpoint: null,
        check: null,
        kind: requestKind(tags.kind, tags.name),
      };
      tags.memo = m;
    }
    switch (metric) {
      case Metric.httpReqs: {
        (m.endpoint ??= m.journey.endpoint(tags.name, m.kind)).requests += value;
        const o = tl.second(t);
        if (o !== null) {
          o.requests += value;
          o.jRequests[m.journey.id] = (o.jRequests[m.journey.id] ?? 0) + value;
        }
        return;
      }
      case Metric.httpReqDuration: {
        const us = msToMicros(value);
        (m.endpoint ??= m.journey.endpoint(tags.name, m.kind)).hist.recordValue(us);
        // Per-second latency is what pages and API calls took: assets are counted on their endpoint only.
        if (m.kind === 'asset') return;
        const o = tl.second(t);
        if (o !== null) tl.recordLatency(o, m.journey.id, us);
        return;
      }
      case Metric.httpReqFailed: {
        if (value === 0) return;
        const e = (m.endpoint ??= m.journey.endpoint(tags.name, m.kind));
        e.failed++;
        bump(e.errorsByStatus, tags.status === '' ? '0' : tags.status);
        if (tags.errorCode !== '') bump(e.errorsByCode, tags.errorCode);
        const o = tl.second(t);
        if (o !== null) {
          o.failed++;
          o.jFailed[m.journey.id] = (o.jFailed[m.journey.id] ?? 0) + 1;
        }
        return;
      }
      case Metric.checks: {
        const c = (m.check ??= m.journey.check(tags.check));
        if (value !== 0) {
          c.passed++;
        } else {
          c.failed++;
          const o = tl.second(t);
          if (o !== null) o.checksFailed++;
        }
        return;
      }
      case Metric.iterations:
        m.journey.iterations += value;
        return;
      case Metric.droppedIterations: {
        m.journey.droppedIterations += value;
        const o = tl.second(t);
        if (o !== null) o.droppedIterations += value;
        return;
      }
      case Metric.dataReceived:
        m.journey.bytesReceived += value;
        return;
      case Metric.dataSent:
        m.journey.bytesSent += value;
        return;
      case Metric.orders:
        if (tags.orderId !== '') this.orderIds.push(Number(tags.orderId));
        else this.ordersWithoutId += value;
        return;
    }
  }
}
