// Service-level objectives for a rehearsal: the same file becomes k6 thresholds (plan stage)
// and the CI gate's rules (reports/gate). Format: scenarios/slo/README.md.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatIssues, fromZodIssues, type Issue } from '../profile/issues.ts';

export class SloError extends Error {
  override name = 'SloError';
  constructor(readonly file: string, readonly issues: Issue[]) {
    super(formatIssues(`SLO file ${file}`, issues));
  }
}

const share = z.number().min(0).max(1);
const ms = z.number().positive();

export const JourneySloSchema = z.strictObject({
  /** Highest acceptable p95 of the journey's requests, ms. */
  p95Ms: ms.optional(),
  /** Highest acceptable p99 of the journey's requests, ms. */
  p99Ms: ms.optional(),
  /** Highest acceptable failed/requests for this journey (overrides the top-level errorRate). */
  errorRate: share.optional(),
});

export const SloSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Highest acceptable failed/requests over the whole run. */
  errorRate: share,
  /** Lowest acceptable share of k6 checks that pass (content, not just status). Default 0.99. */
  checksPass: share.default(0.99),
  /** Lowest acceptable share of checkout attempts that produced an order. */
  checkoutSuccess: share.optional(),
  /** Per journey (k6 scenario name): latency and error limits. */
  journeys: z.record(z.string(), JourneySloSchema).default({}),
  /** Safety: stop the load early once failed/requests passes this (k6 abortOnFail). Default 0.5. */
  abortOnErrorRate: share.default(0.5),
});

export type Slo = z.infer<typeof SloSchema>;
export type JourneySlo = z.infer<typeof JourneySloSchema>;

export function parseSlo(text: string, file: string): Slo {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SloError(file, [{ path: [], message: `not valid JSON (${(e as Error).message}) — check the file is complete` }]);
  }
  const res = SloSchema.safeParse(data);
  if (!res.success) throw new SloError(file, fromZodIssues(res.error.issues, 'scenarios/slo/README.md'));
  return res.data;
}

export async function loadSlo(path: string): Promise<Slo> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SloError(path, [{ path: [], message: code === 'ENOENT' ? 'no such file — check the path (examples in scenarios/slo/)' : `cannot be read (${code})` }]);
  }
  return parseSlo(text, path);
}
