// Everything `profile from-log` keeps from a log, gathered one line at a time so a log of many GB
// streams through in constant memory (bar the replay list, which is capped): the per-minute
// arrival curve, URL classes, visits (client + user agent, 30 min idle) and the pauses inside
// them, unparseable lines (count + first few), and the GET URLs to replay. Pure.

import { classifyUrl, type Rule, type UrlClass } from './classify.ts';
import { parseLogLine } from './log-line.ts';

/** What a visit did, deepest step first: this decides its journey. */
export const VISIT_KINDS = ['checkout', 'abandon', 'returning', 'search', 'browse'] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

export interface LogDigest {
  /** Lines parsed (= the curve's total). */
  parsed: number;
  /** Lines that could not be read as a request: count, the first few (file:line, why). */
  malformed: { count: number; first: string[] };
  /** Empty lines, skipped. */
  blank: number;
  /** Requests per minute from the minute of the earliest request (epoch ms), gaps filled with 0. */
  curve: { startMs: number; minuteCounts: number[] };
  classes: Record<UrlClass, number>;
  visits: Record<VisitKind, number>;
  /** Pauses between a visit's page requests, seconds: median and 90th percentile (undefined when none). */
  think: { medianS: number; p90S: number } | undefined;
  /** GET requests to replay, [epoch ms, path+query, class], by time; admin URLs left out. */
  replay: Array<[number, string, UrlClass]>;
  /** GETs not kept because the replay list reached its cap. */
  replayDropped: number;
}

export interface DigestOptions {
  rules: readonly Rule[];
  /** Keep the GET URLs for a replay file. */
  keepReplay: boolean;
  /** At most this many replay URLs (memory bound); default 2 000 000. */
  maxReplay?: number;
  /** How many malformed lines to name; default 5. */
  firstMalformed?: number;
}

const VISIT_IDLE_MS = 30 * 60_000;
const SWEEP_EVERY = 50_000;
/** Pauses longer than this are a new look at the shop, not thinking. */
const MAX_THINK_S = 600;

interface Visit {
  lastMs: number;
  lastPageMs: number;
  reached: Set<UrlClass>;
}

export class LogDigester {
  private parsed = 0;
  private blank = 0;
  private malformed = 0;
  private readonly firstMalformed: string[] = [];
  private readonly minutes = new Map<number, number>();
  private readonly classes = Object.fromEntries(
    ['browse', 'search', 'cart', 'checkout', 'returning', 'asset', 'admin'].map((c) => [c, 0]),
  ) as Record<UrlClass, number>;
  private readonly visitCounts = Object.fromEntries(VISIT_KINDS.map((k) => [k, 0])) as Record<VisitKind, number>;
  private readonly open = new Map<string, Visit>();
  private readonly thinkHist = new Uint32Array(MAX_THINK_S + 1);
  private readonly replay: Array<[number, string, UrlClass]> = [];
  private replayDropped = 0;
  private latestMs = -Infinity;
  private firstMinute = Infinity;
  private lastMinute = -Infinity;

  constructor(private readonly o: DigestOptions) {}

  /** `where` names the line in messages: "access.log:12". */
  add(line: string, where: string): void {
    if (line.trim() === '') {
      this.blank++;
      return;
    }
    const r = parseLogLine(line);
    if (!r.ok) {
      this.malformed++;
      if (this.firstMalformed.length < (this.o.firstMalformed ?? 5)) this.firstMalformed.push(`${where} (${r.reason})`);
      return;
    }
    const q = r.request;
    this.parsed++;
    const minute = Math.floor(q.timeMs / 60_000);
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1);
    if (minute < this.firstMinute) this.firstMinute = minute;
    if (minute > this.lastMinute) this.lastMinute = minute;
    const cls = classifyUrl(q.target, this.o.rules);
    this.classes[cls]++;
    if (cls !== 'asset' && cls !== 'admin') this.visit(`${q.client} ${q.userAgent}`, q.timeMs, cls);
    if (this.o.keepReplay && q.method === 'GET' && cls !== 'admin') {
      if (this.replay.length < (this.o.maxReplay ?? 2_000_000)) this.replay.push([q.timeMs, q.target, cls]);
      else this.replayDropped++;
    }
    if (q.timeMs > this.latestMs) this.latestMs = q.timeMs;
    if (this.parsed % SWEEP_EVERY === 0) this.sweep(this.latestMs - VISIT_IDLE_MS);
  }

  private visit(key: string, timeMs: number, cls: UrlClass): void {
    let v = this.open.get(key);
    if (v && timeMs - v.lastMs > VISIT_IDLE_MS) {
      this.close(v);
      v = undefined;
    }
    if (!v) {
      v = { lastMs: timeMs, lastPageMs: timeMs, reached: new Set() };
      this.open.set(key, v);
    } else {
      const gapS = Math.round((timeMs - v.lastPageMs) / 1000);
      if (gapS > 0 && gapS <= MAX_THINK_S) this.thinkHist[gapS]!++;
      v.lastPageMs = Math.max(v.lastPageMs, timeMs);
      v.lastMs = Math.max(v.lastMs, timeMs);
    }
    v.reached.add(cls);
  }

  private sweep(beforeMs: number): void {
    for (const [key, v] of this.open) {
      if (v.lastMs < beforeMs) {
        this.close(v);
        this.open.delete(key);
      }
    }
  }

  private close(v: Visit): void {
    const r = v.reached;
    const kind: VisitKind = r.has('checkout')
      ? 'checkout'
      : r.has('cart')
        ? 'abandon'
        : r.has('returning')
          ? 'returning'
          : r.has('search')
            ? 'search'
            : 'browse';
    this.visitCounts[kind]++;
  }

  finish(): LogDigest {
    this.sweep(Infinity);
    const first = this.parsed ? this.firstMinute : 0;
    const last = this.parsed ? this.lastMinute : -1;
    const minuteCounts = Array.from({ length: last - first + 1 }, (_, i) => this.minutes.get(first + i) ?? 0);
    this.replay.sort((a, b) => a[0] - b[0]);
    return {
      parsed: this.parsed,
      malformed: { count: this.malformed, first: [...this.firstMalformed] },
      blank: this.blank,
      curve: { startMs: first * 60_000, minuteCounts },
      classes: { ...this.classes },
      visits: { ...this.visitCounts },
      think: thinkPercentiles(this.thinkHist),
      replay: this.replay,
      replayDropped: this.replayDropped,
    };
  }
}

function thinkPercentiles(hist: Uint32Array): LogDigest['think'] {
  const total = hist.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const at = (q: number) => {
    let seen = 0;
    for (let s = 0; s < hist.length; s++) if ((seen += hist[s]!) >= q * total) return s;
    return hist.length - 1;
  };
  return { medianS: at(0.5), p90S: at(0.9) };
}
