// Per-second timeline with flat memory: each second keeps its latencies per journey only while
// it is "open". Once the watermark (the oldest reader's newest timestamp minus the allowed
// disorder) passes a second, its latencies are reduced to a point (percentiles as HDR reports
// them, see second-latencies.ts) and their buffers go back to the pool.
// A sample for an already closed second is "late": it still counts in the run totals.

import { LatencyBufferPool, sortedPercentilesMs, type LatencyBuffer } from './second-latencies.ts';

export interface TimelinePoint {
  t: number;
  requests: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface OverallPoint extends TimelinePoint {
  checksFailed: number;
  droppedIterations: number;
  /** Sum over runners of each runner's VUs (gauge, carried forward), null before any report. */
  vus: number | null;
}

const PERCENTILES = [50, 95, 99] as const;
const NONE = [null, null, null] as const;

export class OpenSecond {
  requests = 0;
  failed = 0;
  checksFailed = 0;
  droppedIterations = 0;
  /** Per runner: highest VU gauge seen this second. */
  readonly vus: number[] = [];
  /** Latencies (µs) per journey id. */
  readonly latencies: Array<LatencyBuffer | undefined> = [];
  readonly jRequests: number[] = [];
  readonly jFailed: number[] = [];
  constructor(readonly t: number) {}
}

export interface TimelineOptions {
  /** Seconds with no data inside a gap up to this long become zero points. Longer gaps stay gaps. */
  maxGapFillS?: number;
}

export class TimelineBuilder {
  readonly overall: OverallPoint[] = [];
  /** Series per journey id; a journey's series starts at the first second it appears in. */
  readonly journeys: TimelinePoint[][] = [];
  late = 0;
  /** Most seconds open at once: what "memory stays flat" means, observable. */
  maxOpen = 0;
  private readonly open = new Map<number, OpenSecond>();
  private next = -Infinity; // first second not yet closed
  private cached: OpenSecond | null = null;
  private readonly pool = new LatencyBufferPool();
  private readonly lastVus: number[] = [];
  private readonly maxGapFillS: number;

  constructor(opts: TimelineOptions = {}) {
    this.maxGapFillS = opts.maxGapFillS ?? 3600;
  }

  /** The open second for unix time t, or null (counted as late) when that second is closed. */
  second(t: number): OpenSecond | null {
    const s = Math.floor(t);
    const c = this.cached;
    if (c !== null && c.t === s) return c;
    if (s < this.next) {
      this.late++;
      return null;
    }
    let o = this.open.get(s);
    if (o === undefined) {
      o = new OpenSecond(s);
      this.open.set(s, o);
      if (this.open.size > this.maxOpen) this.maxOpen = this.open.size;
    }
    this.cached = o;
    return o;
  }

  recordLatency(o: OpenSecond, journeyId: number, micros: number): void {
    let b = o.latencies[journeyId];
    if (b === undefined) {
      b = this.pool.take();
      o.latencies[journeyId] = b;
    }
    b.push(micros);
  }

  /** Close every open second before `watermark` (unix s). */
  advance(watermark: number): void {
    if (this.open.size === 0) return;
    const due: number[] = [];
    for (const s of this.open.keys()) if (s < watermark) due.push(s);
    if (due.length === 0) return;
    due.sort((a, b) => a - b);
    for (const s of due) this.close(s);
  }

  finish(): void {
    this.advance(Infinity);
  }

  private close(s: number): void {
    const o = this.open.get(s)!;
    this.open.delete(s);
    if (this.cached === o) this.cached = null;
    if (Number.isFinite(this.next) && s > this.next && s - this.next <= this.maxGapFillS) {
      for (let g = this.next; g < s; g++) this.emit(new OpenSecond(g));
    }
    this.emit(o);
    this.next = s + 1;
  }

  private emit(o: OpenSecond): void {
    const width = Math.max(o.jRequests.length, o.latencies.length);
    for (let j = 0; j < width; j++) {
      // A journey's series starts with its first request.
      if (this.journeys[j] === undefined && (o.latencies[j] !== undefined || (o.jRequests[j] ?? 0) > 0))
        this.journeys[j] = [];
    }
    const all = this.pool.take();
    for (let j = 0; j < this.journeys.length; j++) {
      const series = this.journeys[j];
      if (series === undefined) continue;
      const b = o.latencies[j];
      const [p50, p95, p99] = b ? sortedPercentilesMs(b.sorted(), PERCENTILES) : NONE;
      series.push({ t: o.t, requests: o.jRequests[j] ?? 0, failed: o.jFailed[j] ?? 0, p50, p95, p99 });
      if (b !== undefined) {
        all.append(b);
        this.pool.give(b);
      }
    }
    let vus: number | null = null;
    for (let r = 0; r < Math.max(o.vus.length, this.lastVus.length); r++) {
      const v = o.vus[r] ?? this.lastVus[r];
      if (v === undefined) continue;
      this.lastVus[r] = v;
      vus = (vus ?? 0) + v;
    }
    const [p50, p95, p99] = sortedPercentilesMs(all.sorted(), PERCENTILES);
    this.pool.give(all);
    this.overall.push({
      t: o.t,
      requests: o.requests,
      failed: o.failed,
      p50,
      p95,
      p99,
      checksFailed: o.checksFailed,
      droppedIterations: o.droppedIterations,
      vus,
    });
  }
}
