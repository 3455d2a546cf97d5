// Reads all runners' sample files in one pass, interleaved by time: the runner whose newest
// sample is oldest is read next. Runners run concurrently, so this keeps every second's
// histograms complete across runners while only a few seconds are open at once.

import { relative } from 'node:path';
import { K6CsvParser, type CorruptLine, type FileStats } from './k6-csv-reader.ts';
import { RunAggregator } from './run-aggregator.ts';
import type { RunTotals } from './run-totals.ts';
import { readChunks, type RunnerFiles } from './sample-files.ts';
import type { OverallPoint, TimelinePoint } from './timeline.ts';

export interface InputStats {
  files: FileStats[];
  lines: number;
  samples: number;
  corruptLines: number;
  /** The first few corrupt lines across all files (file, line number, reason, text). */
  corruptExamples: CorruptLine[];
  /** Samples whose second had already been closed: in the totals, not in the timeline. */
  lateSamples: number;
  notes: string[];
}

export interface SampleAggregate {
  totals: RunTotals;
  timeline: { overall: OverallPoint[]; journeys: Map<string, TimelinePoint[]> };
  input: InputStats;
  /** Most seconds that were open at once (memory use is proportional to it). */
  maxOpenSeconds: number;
  /** Accepted order ids (rehearse_orders samples), in sample order; and samples without an id. */
  orders: { ids: number[]; withoutId: number };
}

export interface AggregateOptions {
  /** Disorder tolerated in k6 output, seconds (default 5). */
  latenessS?: number;
  /** File names in stats and notes are shown relative to this directory. */
  relativeTo?: string;
  maxCorruptExamples?: number;
}

class RunnerReader {
  maxT = -Infinity;
  /** True once every file is done. */
  done = false;
  private next = 0;
  private chunks: AsyncIterator<Buffer> | null = null;
  private parser: K6CsvParser | null = null;

  constructor(
    private readonly input: RunnerFiles,
    private readonly agg: RunAggregator,
    private readonly ctx: { examples: CorruptLine[]; files: FileStats[]; notes: string[]; opts: AggregateOptions },
  ) {}

  /** Parses up to `limitT` (unix s) or one more chunk, or finishes one file. Sets done at the end. */
  async step(limitT: number): Promise<void> {
    const { opts, notes } = this.ctx;
    if (this.parser !== null && this.parser.pending) {
      this.parser.limitT = limitT;
      this.parser.resume();
      this.noteMaxT();
      return;
    }
    if (this.chunks === null) {
      if (this.next >= this.input.files.length) {
        this.done = true;
        return;
      }
      const path = this.input.files[this.next++];
      const file = opts.relativeTo ? relative(opts.relativeTo, path) : path;
      this.parser = new K6CsvParser({
        file,
        runner: this.input.runner,
        sink: this.agg,
        examples: this.ctx.examples,
        maxExamples: opts.maxCorruptExamples ?? 10,
      });
      this.chunks = readChunks(path, (n) => notes.push(opts.relativeTo ? n.replace(path, file) : n))[
        Symbol.asyncIterator
      ]();
    }
    const parser = this.parser!;
    const r = await this.chunks.next();
    if (r.done) {
      parser.end();
      this.noteMaxT();
      this.ctx.files.push(parser.stats);
      notes.push(...parser.stats.notes);
      this.chunks = null;
      return;
    }
    parser.limitT = limitT;
    parser.push(r.value);
    this.noteMaxT();
  }

  private noteMaxT(): void {
    if (this.parser !== null && this.parser.maxT > this.maxT) this.maxT = this.parser.maxT;
  }
}

// How far past the next runner a runner may read before the scheduler switches: enough to
// switch rarely, small enough that only a few seconds are ever open.
const READ_AHEAD_S = 2;

export async function aggregateSamples(runners: RunnerFiles[], opts: AggregateOptions = {}): Promise<SampleAggregate> {
  const agg = new RunAggregator({ runners: runners.length, latenessS: opts.latenessS });
  const ctx = { examples: [] as CorruptLine[], files: [] as FileStats[], notes: [] as string[], opts };
  const readers = runners.map((r) => new RunnerReader(r, agg, ctx));
  // Read the runner that is furthest behind, until it passes the next one by READ_AHEAD_S.
  for (;;) {
    let pick = -1;
    let second = Infinity;
    for (let i = 0; i < readers.length; i++) {
      if (readers[i].done) continue;
      if (pick < 0 || readers[i].maxT < readers[pick].maxT) {
        if (pick >= 0) second = Math.min(second, readers[pick].maxT);
        pick = i;
      } else {
        second = Math.min(second, readers[i].maxT);
      }
    }
    if (pick < 0) break;
    agg.runner = pick;
    await readers[pick].step(second + READ_AHEAD_S);
    if (readers[pick].done) agg.runnerDone(pick);
  }
  agg.finish();

  const journeys = new Map<string, TimelinePoint[]>();
  for (const j of agg.totals.byId) {
    const series = agg.timeline.journeys[j.id];
    if (series !== undefined) journeys.set(j.name, series);
  }
  const files = ctx.files;
  return {
    totals: agg.totals,
    timeline: { overall: agg.timeline.overall, journeys },
    maxOpenSeconds: agg.timeline.maxOpen,
    orders: { ids: agg.orderIds, withoutId: agg.ordersWithoutId },
    input: {
      files,
      lines: files.reduce((s, f) => s + f.lines, 0),
      samples: files.reduce((s, f) => s + f.samples, 0),
      corruptLines: files.reduce((s, f) => s + f.corruptLines, 0),
      corruptExamples: ctx.examples,
      lateSamples: agg.timeline.late,
      notes: ctx.notes,
    },
  };
}
