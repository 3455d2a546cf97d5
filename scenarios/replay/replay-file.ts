// The replay input: a log's GET URLs (path + query, never a host) with their offsets from the
// first request, already divided by the speed-up, for the k6 replay scenario
// (scenarios/k6/journeys/replay.ts). Format `rehearse.replay/v1`:
//   { "schema": "rehearse.replay/v1", "speed": 60, "durationS": 61.2, "sources": ["access.log.gz"],
//     "urls": [[0, "/", "browse"], [0.25, "/product/x/", "browse"], …] }   // [offset s, path, class]

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { fromZodIssues } from '../profile/issues.ts';
import { PlanError } from '../plan/plan-error.ts';
import { URL_CLASSES } from './classify.ts';
import type { LogDigest } from './log-digest.ts';

export const REPLAY_SCHEMA = 'rehearse.replay/v1';

export const ReplayFileSchema = z.strictObject({
  schema: z.literal(REPLAY_SCHEMA, {
    error: `schema must be "${REPLAY_SCHEMA}" — write it with \`rehearse profile from-log --replay-out\``,
  }),
  /** Logged seconds per replay second. */
  speed: z.number().positive().finite(),
  /** Replay seconds from the first URL to the end of the last logged second. */
  durationS: z.number().positive().finite(),
  sources: z.array(z.string()),
  urls: z.array(
    z.tuple([
      z.number().min(0).finite(),
      z.string().regex(/^\/(?!\/)/, { error: 'a replay URL is a path starting with "/", never a host' }),
      z.enum(URL_CLASSES),
    ]),
  ),
});
export type ReplayFile = z.infer<typeof ReplayFileSchema>;

export interface LoadedReplay {
  file: string;
  sha256: string;
  replay: ReplayFile;
}

/** Pure: a digest's replay list as a replay file, offsets divided by `speed`. */
export function replayFromDigest(d: LogDigest, speed: number, sources: string[]): ReplayFile {
  const t0 = d.replay[0]?.[0] ?? 0;
  const urls = d.replay.map(([t, path, cls]): [number, string, (typeof URL_CLASSES)[number]] => [
    Math.round((t - t0) / speed) / 1000,
    path,
    cls,
  ]);
  const last = urls.at(-1)?.[0] ?? 0;
  // Logged times are whole seconds (combined format): the last one lasts a (sped-up) second.
  return { schema: REPLAY_SCHEMA, speed, durationS: Math.round((last + 1 / speed) * 1000) / 1000, sources, urls };
}

export function parseReplayFile(text: string, file: string): LoadedReplay {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PlanError(`replay file ${file}`, [
      { path: [], message: `not valid JSON (${(e as Error).message}) — write it again with --replay-out` },
    ]);
  }
  const r = ReplayFileSchema.safeParse(data);
  if (!r.success)
    throw new PlanError(`replay file ${file}`, fromZodIssues(r.error.issues, 'scenarios/replay/README.md'));
  return { file, sha256: createHash('sha256').update(text, 'utf8').digest('hex'), replay: r.data };
}

export async function readReplayFile(path: string): Promise<LoadedReplay> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PlanError(`replay file ${path}`, [
      { path: [], message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? e}) — check the path` },
    ]);
  }
  return parseReplayFile(text, path);
}
