// Reads a profile file: bytes → JSON → validated Profile, plus the file's sha256 (recorded in the
// plan so a report can tell which exact profile drove a run). Every failure is a ProfileError.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { locateJsonSyntaxError } from './json-locate.ts';
import { ProfileError, validateProfile, type Profile } from './profile-schema.ts';

export interface LoadedProfile {
  /** The path the profile was read from, as given. */
  file: string;
  /** sha256 (hex) of the file's bytes. */
  sha256: string;
  profile: Profile;
}

export async function loadProfile(path: string): Promise<LoadedProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what =
      code === 'ENOENT'
        ? 'no such file — check the path (built-in profiles live in scenarios/profiles/)'
        : `cannot be read (${code ?? String(e)})`;
    throw new ProfileError(path, [{ path: [], message: what }]);
  }
  return parseProfile(text, path);
}

/** Pure core of loadProfile: `text` is the file's content, `file` its name for messages. */
export function parseProfile(text: string, file: string): LoadedProfile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw jsonError(text, file, e as Error);
  }
  return {
    file,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    profile: validateProfile(data, file),
  };
}

function jsonError(text: string, file: string, parseError: Error): ProfileError {
  if (text.trim() === '')
    return new ProfileError(file, [
      { path: [], message: 'the file is empty — restore the profile, or copy one from scenarios/profiles/' },
    ]);
  const where = locateJsonSyntaxError(text);
  if (!where)
    return new ProfileError(file, [
      { path: [], message: `not valid JSON (${parseError.message}) — fix the JSON syntax` },
    ]);
  const at = `line ${where.line}, column ${where.column}`;
  const message = where.truncated
    ? `not valid JSON: the file ends at ${at} (${where.problem}) — it looks truncated; restore the complete file`
    : `not valid JSON: ${where.problem} at ${at} — fix the JSON syntax there`;
  return new ProfileError(file, [{ path: where.path, message }]);
}
