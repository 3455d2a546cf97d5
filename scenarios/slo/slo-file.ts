// An SLO file with its identity: the plan records name, path, sha256 and content, so the CI gate
// can check a run against exactly the objectives its k6 thresholds were built from.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseSlo, SloError, type Slo } from './slo-schema.ts';

export interface LoadedSlo {
  /** The path the SLO was read from, as given. */
  file: string;
  /** sha256 (hex) of the file's bytes. */
  sha256: string;
  slo: Slo;
}

/** Pure: `text` is the file's content, `file` its name for messages. */
export function parseSloFile(text: string, file: string): LoadedSlo {
  return { file, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), slo: parseSlo(text, file) };
}

export async function readSloFile(path: string): Promise<LoadedSlo> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SloError(path, [
      {
        path: [],
        message:
          code === 'ENOENT' ? 'no such file — check the path (examples in scenarios/slo/)' : `cannot be read (${code})`,
      },
    ]);
  }
  return parseSloFile(text, path);
}

/** Just the objectives, for readers that do not record where they came from (gate, report). */
export async function loadSlo(path: string): Promise<Slo> {
  return (await readSloFile(path)).slo;
}
