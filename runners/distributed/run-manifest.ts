// The files the controller and the agents exchange through the blob store (versioned, zod):
//   plan.json                       the plan, as the plan stage wrote it (its schema is not ours)
//   manifest.json                   rehearse.run-manifest/v1: segments, sequence, start time
//   claims/<segment index>.json     rehearse.segment-claim/v1, written with putIfAbsent (on AWS the
//                                   runner role may only create a claim, never overwrite one)
//   runners/<runner>/chunks/<n>-<sha256>.csv   k6 CSV, whole lines, header first, n from 1
//   runners/<runner>/k6.log         k6's own output
//   runners/<runner>/done.json      rehearse.runner-done/v1 (exit code, k6 summary): written last
//   stop.json                       rehearse.run-stop/v1: the controller asks every agent to stop early
// A fleet store (one per rehearsal, where every fleet agent starts) holds many runs, each under
// its own "<plan id>/" with the files above, and at its root:
//   current-run.json                rehearse.current-run/v1: which of them the agents should join,
//                                   and the SHA-256 of the agent bundle runners must check first
// On the AWS fleet a runner's name is its IAM identity, "<role id>:<instance id>" (what IAM
// calls ${aws:userid}): the runner role may write only under runners/<that name>/
// (infra/aws/fleet/runner-policy.ts).
import { z } from 'zod';

export const MANIFEST_SCHEMA = 'rehearse.run-manifest/v1';
export const CLAIM_SCHEMA = 'rehearse.segment-claim/v1';
export const DONE_SCHEMA = 'rehearse.runner-done/v1';
export const STOP_SCHEMA = 'rehearse.run-stop/v1';
export const CURRENT_RUN_SCHEMA = 'rehearse.current-run/v1';

export const KEYS = {
  plan: 'plan.json',
  manifest: 'manifest.json',
  claim: (segment: number) => `claims/${segment}.json`,
  claims: 'claims/',
  runner: (runner: string) => `runners/${runner}/`,
  chunks: (runner: string) => `runners/${runner}/chunks/`,
  chunk: (runner: string, n: number, sha256: string) =>
    `runners/${runner}/chunks/${String(n).padStart(6, '0')}-${sha256}.csv`,
  log: (runner: string) => `runners/${runner}/k6.log`,
  done: (runner: string) => `runners/${runner}/done.json`,
  stop: 'stop.json',
  currentRun: 'current-run.json',
};

const CHUNK_KEY = /^runners\/([A-Za-z0-9._:-]+)\/chunks\/(\d{6})-([0-9a-f]{64})\.csv$/;

/** Parses a chunk key; null for any other key. Pure. */
export function parseChunkKey(key: string): { runner: string; n: number; sha256: string } | null {
  const m = CHUNK_KEY.exec(key);
  return m ? { runner: m[1], n: Number(m[2]), sha256: m[3] } : null;
}

/** ":" for a fleet runner's "<role id>:<instance id>"; never "/", so a name is one key segment. */
export const RUNNER_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/;

/** A segment claim's key, and nothing deeper (a runner could create other keys under claims/). */
export const CLAIM_KEY = /^claims\/(\d+)\.json$/;

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export const ManifestSchema = z.strictObject({
  schema: z.literal(MANIFEST_SCHEMA),
  runId: z.string().min(1).describe('plan.id of the run.'),
  sequence: z.string().min(1).describe('k6 --execution-segment-sequence, e.g. "0,1/4,2/4,3/4,1".'),
  segments: z
    .array(z.string().min(1))
    .min(1)
    .describe('k6 --execution-segment of each runner, in sequence order, e.g. "0:1/4".'),
  startAt: z.iso.datetime().describe('Wall-clock time every runner starts k6 (ISO 8601, UTC).'),
  chunkEveryMs: z.number().int().min(100).describe('How often an agent uploads a chunk of its samples.'),
});
export type RunManifest = z.infer<typeof ManifestSchema>;

export const ClaimSchema = z.strictObject({
  schema: z.literal(CLAIM_SCHEMA),
  segment: z.number().int().min(0),
  runner: z.string().regex(RUNNER_NAME),
  claimedAt: z.iso.datetime(),
});
export type SegmentClaim = z.infer<typeof ClaimSchema>;

export const DoneSchema = z.strictObject({
  schema: z.literal(DONE_SCHEMA),
  runner: z.string().regex(RUNNER_NAME),
  segment: z.number().int().min(0),
  /** k6's exit code; null when it could not start. */
  exitCode: z.number().int().nullable(),
  /** Stopped early on purpose (SIGINT/SIGTERM to the agent). */
  interrupted: z.boolean(),
  chunks: z.number().int().min(0),
  requests: z.number().int().min(0),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  /** Why it failed, when it did. */
  error: z.string().nullable(),
  /** k6's end-of-test summary (handleSummary data); null when k6 wrote none. */
  summary: z.unknown().nullable(),
});
export type RunnerDone = z.infer<typeof DoneSchema>;

export const StopSchema = z.strictObject({
  schema: z.literal(STOP_SCHEMA),
  reason: z.string().describe('Why, for the agents\' logs, e.g. "interrupted (Ctrl-C) on the controller".'),
  at: z.iso.datetime(),
});
export type RunStop = z.infer<typeof StopSchema>;

/** Sub-prefix of a run in a fleet store: "<plan id>/". */
export const RUN_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}\/$/;

export const CurrentRunSchema = z.strictObject({
  schema: z.literal(CURRENT_RUN_SCHEMA),
  runId: z.string().min(1).describe('plan.id of the run; its manifest.json must say the same.'),
  prefix: z
    .string()
    .regex(RUN_PREFIX)
    .describe('Where the run\'s plan, manifest, claims and chunks are, relative to this file: "<plan id>/".'),
  startAt: z.iso
    .datetime()
    .describe("The run's start time (as in its manifest): an agent booting later has nothing to join."),
  bundleSha256: z
    .string()
    .regex(SHA256_HEX)
    .describe(
      'SHA-256 (hex) of the agent bundle the controller uploaded for this run: a runner refuses a bundle that differs (infra/aws/fleet/runner-user-data.ts).',
    ),
  writtenAt: z.iso.datetime(),
});
export type CurrentRun = z.infer<typeof CurrentRunSchema>;

/** The run's sub-prefix in a fleet store. "agent" is taken by the agent bundle (infra/aws/config/fleet-config.ts). */
export function runSubPrefix(planId: string): string {
  const prefix = `${planId}/`;
  if (!RUN_PREFIX.test(prefix) || planId === 'agent')
    throw new Error(
      `plan id "${planId}" cannot name a run in the fleet store (letters, digits, ".", "_", "-", and not "agent"): change "id" in the plan file`,
    );
  return prefix;
}

/** Parses a store object with a schema; the error names the store key, the bad fields and the fix. */
export function parseStoreJson<T>(schema: z.ZodType<T>, body: Buffer, where: string): T {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new Error(
      `${where}: not valid JSON (${(e as Error).message}); the controller writes it whole, so the store holds a damaged copy: start the run again`,
    );
  }
  const r = schema.safeParse(data);
  if (!r.success)
    throw new Error(
      `${where}: ${z.prettifyError(r.error)}\nFix: controller and agents must run the same Rehearse version; start the run again`,
    );
  return r.data;
}
