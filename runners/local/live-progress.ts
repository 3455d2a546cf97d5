// Live figures while k6 runs, from the CSV samples it writes: elapsed, rate, p95, errors.
// SampleTally counts lines fed to it (a file being appended, or chunks arriving from runners);
// CsvProgress feeds it only the bytes appended since the last tick, so it costs little however
// long the run.
import { open } from 'node:fs/promises';
import { K6CsvParser, type SampleSink } from '../../reports/aggregate/k6-csv-reader.ts';
import { Metric, type MetricCode } from '../../reports/aggregate/k6-metrics.ts';

export interface ProgressSnapshot {
  elapsedS: number;
  requests: number;
  failed: number;
  /** Requests per second over the last window. */
  rate: number;
  /** p95 of http_req_duration over the last window, ms; null before the first request. */
  p95Ms: number | null;
  /** Journey starts (iterations + dropped) per second over the last window. */
  arrivalRate?: number;
  /** Journey iterations completed so far (k6 iterations). */
  iterations?: number;
  /** Iterations k6 dropped so far. */
  dropped?: number;
}

const WINDOW_S = 10;

/**
 * Counts samples from whole or partial k6 CSV (a header line or a partial last line is fine).
 * It reads them with the aggregator's own parser, so the live figures and the record count the
 * same lines the same way.
 */
export class SampleTally implements SampleSink {
  requests = 0;
  failed = 0;
  iterations = 0;
  dropped = 0;
  /** [unix second, duration ms] of recent requests, for the windowed rate and p95. */
  private recent: Array<[number, number]> = [];
  /** Unix seconds of recent journey starts (iterations and dropped iterations). */
  private arrivals: number[] = [];
  private readonly parser = new K6CsvParser({ file: 'live progress', sink: this, maxExamples: 0 });

  feed(data: Buffer | string): void {
    this.parser.push(typeof data === 'string' ? Buffer.from(data) : data);
  }

  onSample(metric: MetricCode, t: number, value: number): void {
    switch (metric) {
      case Metric.httpReqs:
        this.requests += value;
        return;
      case Metric.httpReqFailed:
        if (value !== 0) this.failed++;
        return;
      case Metric.httpReqDuration:
        this.recent.push([t, value]);
        return;
      case Metric.iterations:
        this.iterations += value;
        for (let i = 0; i < value; i++) this.arrivals.push(t);
        return;
      case Metric.droppedIterations:
        this.dropped += value;
        for (let i = 0; i < value; i++) this.arrivals.push(t);
        return;
    }
  }

  snapshot(startedAt: number, now = Date.now()): ProgressSnapshot {
    const nowS = now / 1000;
    this.recent = this.recent.filter(([ts]) => ts > nowS - WINDOW_S);
    this.arrivals = this.arrivals.filter((ts) => ts > nowS - WINDOW_S);
    const durations = this.recent.map(([, d]) => d).sort((a, b) => a - b);
    const p95Ms = durations.length
      ? durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.95) - 1)]
      : null;
    const elapsedS = Math.max(0, (now - startedAt) / 1000);
    const window = Math.min(WINDOW_S, Math.max(1, elapsedS));
    return {
      elapsedS,
      requests: this.requests,
      failed: this.failed,
      rate: durations.length / window,
      p95Ms,
      arrivalRate: this.arrivals.length / window,
      iterations: this.iterations,
      dropped: this.dropped,
    };
  }
}

export class CsvProgress {
  private offset = 0;
  private readonly tally = new SampleTally();

  constructor(
    private readonly file: string,
    private readonly startedAt = Date.now(),
  ) {}

  async poll(): Promise<ProgressSnapshot> {
    let fh;
    try {
      fh = await open(this.file, 'r');
    } catch {
      return this.tally.snapshot(this.startedAt); // k6 has not created the file yet
    }
    try {
      const { size } = await fh.stat();
      if (size > this.offset) {
        const buf = Buffer.alloc(size - this.offset);
        await fh.read(buf, 0, buf.length, this.offset);
        this.offset = size;
        this.tally.feed(buf);
      }
    } finally {
      await fh.close();
    }
    return this.tally.snapshot(this.startedAt);
  }
}

export function formatProgress(s: ProgressSnapshot, plannedS?: number, extra = ''): string {
  const t = `${Math.floor(s.elapsedS)}s${plannedS ? `/${Math.round(plannedS)}s` : ''}`;
  const p95 = s.p95Ms === null ? '-' : `${Math.round(s.p95Ms)}ms`;
  const errPct = s.requests ? ((100 * s.failed) / s.requests).toFixed(1) : '0.0';
  return `${t}  ${s.rate.toFixed(1)} req/s  p95 ${p95}  errors ${s.failed} (${errPct}%)  requests ${s.requests}${extra}`;
}

/** The distributed run's line: arrivals against the plan, and how many runners are still alive. */
export function formatFleetProgress(
  s: ProgressSnapshot,
  o: { plannedS: number; plannedArrivalRate: number; alive: number; runners: number },
): string {
  const t = `${Math.floor(s.elapsedS)}s/${Math.round(o.plannedS)}s`;
  const p95 = s.p95Ms === null ? '-' : `${Math.round(s.p95Ms)}ms`;
  const errPct = s.requests ? ((100 * s.failed) / s.requests).toFixed(1) : '0.0';
  return `${t}  arrivals ${(s.arrivalRate ?? 0).toFixed(1)}/s (planned ${o.plannedArrivalRate.toFixed(1)}/s)  p95 ${p95}  errors ${s.failed} (${errPct}%)  requests ${s.requests}  runners ${o.alive}/${o.runners} alive`;
}
