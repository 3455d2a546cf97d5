// The aggregate stage: runs/<id>/raw/* (+ plan.json, summary.json) → runs/<id>/record.json.

import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../record/atomic-write.ts';
import { buildRecord } from '../record/build-record.ts';
import { parseRecord, type RunRecord } from '../record/record-schema.ts';
import { readGeneratorHealth } from '../record/generator-health.ts';
import { readK6Summaries, readPlanMeta, runIdFromDir } from '../record/run-inputs.ts';
import { aggregateSamples, type AggregateOptions } from './aggregate-samples.ts';
import { findSampleFiles } from './sample-files.ts';

export interface AggregateRunOptions extends Omit<AggregateOptions, 'relativeTo'> {
  /** Defaults to now; fixed in tests. */
  now?: Date;
  /** Write record.json (default true). */
  write?: boolean;
  /** The run was stopped before its planned end (the runners stage knows); recorded and flagged in the verdict. */
  interrupted?: boolean;
}

export async function aggregateRun(runDir: string, opts: AggregateRunOptions = {}): Promise<RunRecord> {
  const dir = resolve(runDir);
  const layoutNotes: string[] = [];
  const runners = await findSampleFiles(dir, layoutNotes);
  const aggregate = await aggregateSamples(runners, { ...opts, relativeTo: dir });
  const notes = aggregate.input.notes;
  notes.unshift(...layoutNotes);
  const plan = await readPlanMeta(dir, notes);
  const names = runners.map((r) => r.runner);
  const k6Summary = await readK6Summaries(dir, names, notes);
  const record = buildRecord({
    aggregate,
    runId: runIdFromDir(dir),
    runners: names,
    plan,
    k6Summary,
    interrupted: opts.interrupted,
    generatedAt: opts.now ?? new Date(),
  });
  const peakVUs = record.timeline.reduce<number | null>((m, p) => (p.vus === null ? m : Math.max(m ?? 0, p.vus)), null);
  record.run.generator = await readGeneratorHealth(dir, names, plan.maxVUs, peakVUs, notes);
  // Validate what we write: a record that breaks its own schema must fail here, not in a renderer.
  parseRecord(record, join(dir, 'record.json'));
  if (opts.write !== false) await writeFileAtomic(join(dir, 'record.json'), JSON.stringify(record) + '\n');
  return record;
}
