// A profile is named (a built-in under scenarios/profiles) or given as a path.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { InputError } from '../errors/errors.ts';

export const BUILTIN_PROFILES = fileURLToPath(new URL('../scenarios/profiles/', import.meta.url));

export function builtinProfileNames(): string[] {
  return readdirSync(BUILTIN_PROFILES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function resolveProfilePath(nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.json')) {
    if (!existsSync(nameOrPath)) throw new InputError(`profile file ${nameOrPath} does not exist`);
    return nameOrPath;
  }
  const builtin = join(BUILTIN_PROFILES, `${nameOrPath}.json`);
  if (!existsSync(builtin)) {
    throw new InputError(
      `no built-in profile "${nameOrPath}": choose one of ${builtinProfileNames().join(', ')} or give a path to a profile JSON file`,
    );
  }
  return builtin;
}
