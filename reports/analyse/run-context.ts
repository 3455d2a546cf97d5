// Reading what the analysis needs from a run directory (the I/O edge of reports/analyse):
// record.json, telemetry.json and plan.json (both optional), analysis.json of a baseline.
// A present but broken file is an input error naming the file, the field and the fix.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors/errors.ts';
import { telemetrySchema, type Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import { readRecord } from '../record/read-record.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { ANALYSIS_SCHEMA_ID, type RunAnalysis } from './analyse-run.ts';

async function readJson(path: string): Promise<unknown | null> {
  if (!existsSync(path)) return null;
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(
      `${path}: not valid JSON (${(e as Error).message}) — the file is damaged; re-collect it or delete it to report without it`,
    );
  }
}

export async function readTelemetry(runDir: string): Promise<Telemetry | null> {
  const path = join(runDir, 'telemetry.json');
  const data = await readJson(path);
  if (data === null) return null;
  const r = telemetrySchema.safeParse(data);
  if (!r.success)
    throw new InputError(
      `${path}: not a valid rehearse.telemetry/v1 file:\n${z.prettifyError(r.error)}\nFix: re-collect it (schema in infra/telemetry/telemetry-schema.ts) or delete it to report without telemetry`,
    );
  return r.data;
}

export async function readPlan(runDir: string): Promise<unknown> {
  return readJson(join(runDir, 'plan.json'));
}

/** analysis.json of a run when it exists and is of this version; otherwise null (it is derived, so never fatal). */
export async function readAnalysis(runDir: string): Promise<RunAnalysis | null> {
  try {
    const data = (await readJson(join(runDir, 'analysis.json'))) as RunAnalysis | null;
    return data?.schema === ANALYSIS_SCHEMA_ID ? data : null;
  } catch {
    return null;
  }
}

export async function readBaseline(dir: string): Promise<{ record: RunRecord; analysis: RunAnalysis | null }> {
  if (!existsSync(join(dir, 'record.json')))
    throw new InputError(
      `--baseline ${dir}: no record.json there — give a run directory, e.g. runs/20261124-103000-smoke`,
    );
  return { record: await readRecord(dir), analysis: await readAnalysis(dir) };
}
