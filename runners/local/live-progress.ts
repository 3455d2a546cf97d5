// Live figures while k6 runs, read from the CSV k6 is writing: elapsed, rate, p95, errors.
// It reads only the bytes appended since the last tick, so it costs little however long the run.
import { open } from 'node:fs/promises';

export interface ProgressSnapshot {
  elapsedS: number;
  requests: number;
  failed: number;
  /** Requests per second over the last window. */
  rate: number;
  /** p95 of http_req_duration over the last window, ms; null before the first request. */
  p95Ms: number | null;
}

const WINDOW_S = 10;

export class CsvProgress {
  private offset = 0;
  private carry = '';
  private requests = 0;
  private failed = 0;
  /** [unix second, duration ms] of recent requests, for the windowed rate and p95. */
  private recent: Array<[number, number]> = [];

  constructor(private readonly file: string, private readonly startedAt = Date.now()) {}

  async poll(): Promise<ProgressSnapshot> {
    let fh;
    try {
      fh = await open(this.file, 'r');
    } catch {
      return this.snapshot(); // k6 has not created the file yet
    }
    try {
      const { size } = await fh.stat();
      if (size > this.offset) {
        const buf = Buffer.alloc(size - this.offset);
        await fh.read(buf, 0, buf.length, this.offset);
        this.offset = size;
        this.consume(buf.toString('utf8'));
      }
    } finally {
      await fh.close();
    }
    return this.snapshot();
  }

  private consume(text: string): void {
    const lines = (this.carry + text).split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) {
      // Only three metrics matter here; the aggregator does the full parse later.
      if (line.startsWith('http_reqs,')) {
        this.requests++;
      } else if (line.startsWith('http_req_failed,')) {
        if (line.split(',', 3)[2]?.startsWith('1')) this.failed++;
      } else if (line.startsWith('http_req_duration,')) {
        const [, ts, value] = line.split(',', 3);
        this.recent.push([Number(ts), Number(value)]);
      }
    }
  }

  private snapshot(): ProgressSnapshot {
    const now = Date.now() / 1000;
    this.recent = this.recent.filter(([ts]) => ts > now - WINDOW_S);
    const durations = this.recent.map(([, d]) => d).sort((a, b) => a - b);
    const p95Ms = durations.length ? durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.95) - 1)] : null;
    const elapsedS = (Date.now() - this.startedAt) / 1000;
    return { elapsedS, requests: this.requests, failed: this.failed, rate: durations.length / Math.min(WINDOW_S, Math.max(1, elapsedS)), p95Ms };
  }
}

export function formatProgress(s: ProgressSnapshot, plannedS?: number, extra = ''): string {
  const t = `${Math.floor(s.elapsedS)}s${plannedS ? `/${Math.round(plannedS)}s` : ''}`;
  const p95 = s.p95Ms === null ? '-' : `${Math.round(s.p95Ms)}ms`;
  const errPct = s.requests ? ((100 * s.failed) / s.requests).toFixed(1) : '0.0';
  return `${t}  ${s.rate.toFixed(1)} req/s  p95 ${p95}  errors ${s.failed} (${errPct}%)  requests ${s.requests}${extra}`;
}
