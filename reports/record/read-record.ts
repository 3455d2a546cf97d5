// Reading runs/<id>/record.json with a message that says what to do when it is not there.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRecord, RecordError, type RunRecord } from './record-schema.ts';

export async function readRecord(runDir: string): Promise<RunRecord> {
  const path = join(runDir, 'record.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new RecordError(
      `${path}: not found; run the aggregate stage first (aggregateRun(runDir) writes it from raw/*/samples.csv)`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RecordError(`${path}: not valid JSON (${(e as Error).message}); regenerate it with the aggregate stage`);
  }
  return parseRecord(data, path);
}
