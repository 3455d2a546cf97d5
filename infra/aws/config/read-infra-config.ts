// The --aws-config file ({ store, fleet }, infra/aws/README.md): read and validated. Its own file
// so the fleet outputs and the target can both read it without importing each other.
import { readFileSync } from 'node:fs';
import { InputError } from '../../../errors/errors.ts';
import { parseInfraConfig, type RehearsalInfra } from '../app.ts';

export function readInfraConfig(path: string): RehearsalInfra {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`--aws-config ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(err as Error).message})`}; see infra/aws/README.md for the format`);
  }
  return parseInfraConfig(raw as { store?: unknown; fleet?: unknown });
}

export function rehearsalIdOf(infra: RehearsalInfra): string {
  return (infra.store?.rehearsalId ?? infra.fleet?.rehearsalId)!;
}
