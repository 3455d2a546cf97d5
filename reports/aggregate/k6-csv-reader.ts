// Streaming parser for k6's CSV output (`k6 run --out csv=...`). It works on raw bytes: one
// native indexOf per line, one byte loop to find the first commas, and no string per line: the
// tag columns are looked up by their bytes (tag-table.ts; consecutive lines of one request share
// them, which one compare confirms). Lines holding a quote go through the quoted-field fallback.
// A bad line is counted and reported, never thrown.

import {
  hasQuote,
  isHeader,
  nextComma,
  parseNumber,
  parseTimestamp,
  parseTimestampText,
  sameBytes,
  utf8,
  viewOf,
} from './csv-bytes.ts';
import { readQuotedRecord } from './csv-fields.ts';
import { columnLayout, DEFAULT_COLUMNS, tagsFromTail, type ColumnLayout } from './k6-columns.ts';
import { Metric, metricCodeAt, metricCodeOf } from './k6-metrics.ts';
import { TagTable } from './tag-table.ts';
import type { CorruptLine, FileStats, SampleSink, SampleTags } from './k6-sample.ts';

export type { CorruptLine, FileStats, SampleSink, SampleTags } from './k6-sample.ts';

export interface ParserOptions {
  file: string;
  runner?: string;
  sink: SampleSink;
  /** Shared list of first corrupt lines across files; the parser appends while shorter than maxExamples. */
  examples?: CorruptLine[];
  maxExamples?: number;
}

const MIN_PLAUSIBLE_T = 1e9; // 2001-09-09: anything earlier is a broken timestamp, not a run
const MAX_FORWARD_JUMP_S = 3600; // a sample this far past the file's latest one is a broken timestamp
const MAX_RECORD_BYTES = 1 << 20; // an open quote spanning more than this is corruption
const TAG_CACHE_LIMIT = 4096; // quoted tag sets kept (the byte-keyed table has its own bound)

export class K6CsvParser {
  readonly stats: FileStats;
  /** Highest timestamp (unix s) seen so far; drives the timeline watermark. */
  maxT = -Infinity;
  /**
   * Parsing pauses right after the first sample later than this (unix s), so a runner read
   * ahead of the others does not hold many seconds open; see pending and resume().
   */
  limitT = Infinity;
  private paused: Buffer | null = null;
  private stop = false;
  private readonly sink: SampleSink;
  private readonly examples: CorruptLine[];
  private readonly maxExamples: number;
  private carry: Buffer | null = null;
  private lineNo = 0;
  private headerSeen = false;
  private ncols = 0;
  private layout: ColumnLayout = columnLayout(DEFAULT_COLUMNS, 'default');
  private readonly tagTable = new TagTable();
  /** Tags of quoted lines (rare), by their unquoted fields. */
  private quotedTags = new Map<string, SampleTags>();
  private viewBuf: Buffer | null = null;
  private view: DataView | null = null; // over viewBuf
  // The previous used line's tag bytes (fields, not an object: this runs for every line).
  private prevBuf: Buffer | null = null;
  private prevStart = 0;
  private prevEnd = 0;
  private prevTags: SampleTags | null = null;

  constructor(opts: ParserOptions) {
    this.sink = opts.sink;
    this.examples = opts.examples ?? [];
    this.maxExamples = opts.maxExamples ?? 10;
    this.stats = {
      file: opts.file,
      runner: opts.runner ?? '',
      bytes: 0,
      lines: 0,
      samples: 0,
      corruptLines: 0,
      notes: [],
    };
  }

  /** Feed the next chunk of the file, in order. Chunks may split lines anywhere. */
  push(chunk: Buffer): void {
    if (this.paused !== null)
      throw new Error(`${this.stats.file}: push() while paused; call resume() until pending is false`);
    this.stats.bytes += chunk.length;
    if (this.carry !== null) {
      // Finish the line split across chunks on a small buffer rather than copying the whole chunk.
      const nl = chunk.indexOf(10);
      if (nl < 0 || this.carry.length + nl > MAX_RECORD_BYTES) {
        const joined = Buffer.concat([this.carry, chunk]);
        this.carry = null;
        return this.run(joined);
      }
      const head = Buffer.concat([this.carry, chunk.subarray(0, nl + 1)]);
      this.carry = null;
      this.run(head);
      if (this.paused !== null || this.carry !== null) {
        // Paused, or a quoted record spans further: fall back to one joined buffer.
        const rest = this.paused ?? this.carry!;
        this.paused = null;
        this.carry = null;
        const joined = Buffer.concat([rest, chunk.subarray(nl + 1)]);
        return this.run(joined);
      }
      return this.run(chunk.subarray(nl + 1));
    }
    this.run(chunk);
  }

  /** True when parsing paused at limitT with lines of the last chunk still unparsed. */
  get pending(): boolean {
    return this.paused !== null;
  }

  /** Continue a paused chunk (under the current limitT). */
  resume(): void {
    const buf = this.paused;
    this.paused = null;
    if (buf !== null) this.run(buf);
  }

  private run(buf: Buffer): void {
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      const eol = buf.indexOf(10, pos);
      if (eol < 0) break;
      const next = this.line(buf, pos, eol, false);
      if (next < 0) break; // a quoted field continues past this chunk
      pos = next;
      if (this.stop) {
        // A sample passed limitT: let the other runners catch up before reading further.
        this.stop = false;
        if (pos < len) {
          this.paused = buf.subarray(pos);
          return;
        }
      }
    }
    if (pos >= len) {
      this.carry = null;
    } else if (len - pos > MAX_RECORD_BYTES) {
      this.lineNo++;
      this.corrupt('no line end within 1 MiB (binary data?)', buf, pos, pos + 120);
      this.carry = null;
    } else {
      this.carry = Buffer.from(buf.subarray(pos)); // copy: do not pin the whole chunk
    }
  }

  /** Call once after the last chunk: a final line without a newline is a truncated write. */
  end(): void {
    this.limitT = Infinity;
    this.resume();
    if (this.carry === null) return;
    const buf = this.carry;
    this.carry = null;
    let pos = 0;
    while (pos < buf.length) {
      const eol = buf.indexOf(10, pos);
      if (eol < 0) break;
      pos = this.line(buf, pos, eol, true);
    }
    if (pos < buf.length && !(buf.length - pos === 1 && buf[pos] === 13)) {
      this.lineNo++;
      if (!this.headerSeen) this.assumeDefaultHeader();
      this.stats.lines++;
      this.corrupt('truncated last line (no newline at end of file)', buf, pos, buf.length);
    }
  }

  /** Parse buf[start, eol); returns where the next line starts, or -1 to wait for more data. */
  private line(buf: Buffer, start: number, eol: number, atEof: boolean): number {
    this.lineNo++;
    let end = eol;
    if (end > start && buf[end - 1] === 13) end--;
    if (end === start) return eol + 1;

    // Only the first three fields are scanned byte by byte. The rest (the tags) is looked up
    // whole in the tag cache, which also remembers its field count, so a cache hit validates
    // the line's shape without touching its bytes again.
    const view = buf === this.viewBuf ? this.view! : this.viewOver(buf);
    const c0 = nextComma(view, start, end);
    if (buf[c0] === 34) return this.quotedLine(buf, start, eol, atEof);
    if (buf[start] === 109 /* m */ && isHeader(buf, start, end)) {
      this.setHeader(buf.toString('utf8', start, end).split(','));
      return eol + 1;
    }
    if (!this.headerSeen) this.assumeDefaultHeader();
    this.stats.lines++;
    const metric = metricCodeAt(view, start, c0);
    if (metric === Metric.other && c0 < end) {
      // About half of k6's lines are metrics the record does not use (http_req_blocked, ...):
      // checked only for a name and a timestamp that starts like one, then skipped.
      const d = buf[c0 + 1] - 48;
      if (d >= 0 && d <= 9) {
        this.stats.samples++;
        return eol + 1;
      }
    }
    const c1 = c0 < end ? nextComma(view, c0 + 1, end) : end;
    const c2 = c1 < end ? nextComma(view, c1 + 1, end) : end;
    if (buf[c1] === 34 || buf[c2] === 34) return this.quotedLine(buf, start, eol, atEof, true);
    if (c2 >= end) {
      this.corrupt(`expected ${this.ncols} fields, found ${c0 >= end ? 1 : c1 >= end ? 2 : 3}`, buf, start, end);
      return eol + 1;
    }
    const t = parseTimestamp(buf, c0 + 1, c1);
    const value = metric === Metric.other ? 0 : parseNumber(buf, c1 + 1, c2);
    const problem = this.checkValues(t, value);
    if (problem !== null) {
      this.corrupt(problem, buf, start, end);
      return eol + 1;
    }
    if (metric === Metric.other) {
      this.stats.samples++;
      return eol + 1;
    }
    let tags: SampleTags | undefined;
    if (this.prevBuf === buf && sameBytes(view, this.prevStart, this.prevEnd, view, c2 + 1, end)) {
      tags = this.prevTags!; // consecutive lines of one request share their tags
    } else {
      tags = this.tagTable.find(view, c2 + 1, end);
      if (tags === undefined) {
        if (hasQuote(buf, c2 + 1, end)) return this.quotedLine(buf, start, eol, atEof, true);
        tags = tagsFromTail(this.layout, utf8(buf, c2 + 1, end).split(','));
        // Each order's tags are unique (its id): caching them would only push out the common ones.
        if (metric !== Metric.orders) this.tagTable.add(view, c2 + 1, end, tags);
      }
    }
    if (tags.fieldCount !== this.ncols) {
      this.corrupt(`expected ${this.ncols} fields, found ${tags.fieldCount}`, buf, start, end);
      return eol + 1;
    }
    this.stats.samples++;
    if (t > this.maxT) this.maxT = t;
    this.prevBuf = buf;
    this.prevStart = c2 + 1;
    this.prevEnd = end;
    this.prevTags = tags;
    this.sink.onSample(metric, t, value, tags);
    if (t > this.limitT) this.stop = true;
    return eol + 1;
  }

  /** counted: stats.lines was already incremented for this line by the fast path. */
  private quotedLine(buf: Buffer, start: number, eol: number, atEof: boolean, counted = false): number {
    if (counted) this.stats.lines--;
    const r = readQuotedRecord(buf, start, eol, atEof, MAX_RECORD_BYTES);
    if (r.kind === 'more') {
      this.lineNo--; // re-read this record once more data arrives
      return -1;
    }
    if (r.kind === 'ok') {
      const at = this.lineNo;
      this.lineNo += r.extraLines;
      this.quotedFields(r.fields, r.malformed, r.text, at);
      return r.next;
    }
    // A stray quote: report this physical line only and carry on with the next one.
    if (!this.headerSeen) this.assumeDefaultHeader();
    this.stats.lines++;
    this.corrupt('unterminated quoted field', buf, start, eol);
    return eol + 1;
  }

  private quotedFields(fields: string[], malformed: boolean, text: string, at: number): void {
    if (fields[0] === 'metric_name') {
      this.setHeader(fields);
      return;
    }
    if (!this.headerSeen) this.assumeDefaultHeader();
    this.stats.lines++;
    if (malformed) return this.corruptText('misplaced quote', at, text);
    if (fields.length !== this.ncols)
      return this.corruptText(`expected ${this.ncols} fields, found ${fields.length}`, at, text);
    const metric = metricCodeOf(fields[0]);
    if (metric === Metric.other) {
      this.stats.samples++;
      return;
    }
    const t = parseTimestampText(fields[1]);
    const value = fields[2] === '' ? NaN : Number(fields[2]);
    const problem = this.checkValues(t, value);
    if (problem !== null) return this.corruptText(problem, at, text);
    const tail = fields.slice(3);
    const key = tail.join('\u0000');
    let tags = this.quotedTags.get(key);
    if (tags === undefined) {
      tags = tagsFromTail(this.layout, tail);
      // Unbounded tag sets (e.g. per-request metadata) must not grow memory: start over. An
      // order's tags are unique (its id): not kept at all.
      if (this.quotedTags.size >= TAG_CACHE_LIMIT) this.quotedTags = new Map();
      if (metric !== Metric.orders) this.quotedTags.set(key, tags);
    }
    this.stats.samples++;
    if (t > this.maxT) this.maxT = t;
    this.sink.onSample(metric, t, value, tags);
    if (t > this.limitT) this.stop = true;
  }

  private checkValues(t: number, value: number): string | null {
    if (!(t >= MIN_PLAUSIBLE_T)) return 'timestamp is not a plausible unix time';
    if (t > this.maxT + MAX_FORWARD_JUMP_S && this.maxT > 0)
      return `timestamp jumps ${Math.round(t - this.maxT)} s ahead of the file`;
    if (value !== value) return 'metric_value is not a number';
    return null;
  }

  private viewOver(buf: Buffer): DataView {
    this.viewBuf = buf;
    this.view = viewOf(buf);
    return this.view;
  }

  private setHeader(columns: string[]): void {
    this.layout = columnLayout(columns, `${this.stats.file}:${this.lineNo}`);
    this.ncols = this.layout.ncols;
    this.tagTable.clear();
    this.quotedTags = new Map();
    this.prevBuf = null; // tags made under the old layout must not be reused
    this.headerSeen = true;
  }

  private assumeDefaultHeader(): void {
    this.stats.notes.push(`${this.stats.file}: no header line; assumed k6's default column order`);
    this.setHeader(DEFAULT_COLUMNS);
  }

  private corrupt(reason: string, buf: Buffer, start: number, end: number): void {
    this.corruptText(reason, this.lineNo, buf.toString('utf8', start, Math.min(end, start + 200)));
  }

  private corruptText(reason: string, line: number, text: string): void {
    this.stats.corruptLines++;
    if (this.examples.length < this.maxExamples) {
      this.examples.push({ file: this.stats.file, line, reason, text: text.slice(0, 200) });
    }
  }
}
