// Reads a catalogue file written by the local replica (or by hand for a remote store).

import { readFile } from 'node:fs/promises';
import { validateCatalogue, type Catalogue } from './catalogue-schema.ts';
import { PlanError } from './plan-error.ts';

export async function readCatalogue(path: string): Promise<Catalogue> {
  const label = `catalogue ${path}`;
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file — the local replica writes it on `seed`; check the path'
        : `cannot be read as JSON (${(e as Error).message})`;
    throw new PlanError(label, [{ path: [], message: why }]);
  }
  return validateCatalogue(data, label);
}
