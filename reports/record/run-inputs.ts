// Reading the small side files of a run directory: plan.json (owned by the plan stage, read
// loosely: any field may be missing) and each runner's summary.json (k6 handleSummary data).

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { K6SummaryRecord } from './record-schema.ts';

export interface PlanMeta {
  id: string | null;
  profile: string | null;
  targetKind: string | null;
  baseUrl: string | null;
  peakRate: number | null;
  durationS: number | null;
  expectedTotal: number | null;
  k6Version: string | null;
  /** Sum of maxVUs over plan.k6.scenarios; null when the plan does not say. */
  maxVUs: number | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {};

/** Pure: the fields the record uses, from whatever plan.json holds. */
export function planMeta(plan: unknown): PlanMeta {
  const p = obj(plan);
  return {
    id: str(p.id),
    profile: str(obj(p.profile).name),
    targetKind: str(obj(p.target).kind),
    baseUrl: str(obj(p.target).baseUrl),
    peakRate: num(obj(p.run).peakRate),
    durationS: num(obj(p.run).durationS),
    expectedTotal: num(obj(p.expected).total),
    k6Version: str(p.k6Version) ?? str(obj(p.k6).version),
    maxVUs: sumMaxVUs(obj(obj(p.k6).scenarios)),
  };
}

function sumMaxVUs(scenarios: Record<string, unknown>): number | null {
  const vs = Object.values(scenarios).map((sc) => num(obj(sc).maxVUs));
  return vs.length > 0 && vs.every((v) => v !== null) ? vs.reduce((a, b) => a! + b!, 0) : null;
}

/** plan.json of the run, or all-null meta (plus a note) when it is absent or unreadable. */
export async function readPlanMeta(runDir: string, notes: string[]): Promise<PlanMeta> {
  const path = join(runDir, 'plan.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return planMeta({});
  }
  try {
    return planMeta(JSON.parse(text));
  } catch (e) {
    notes.push(`plan.json: not valid JSON (${(e as Error).message}); run settings unknown`);
    return planMeta({});
  }
}

/** Pure: k6 handleSummary data → the counts the record keeps for cross-checking. */
export function k6SummaryCounts(runner: string, data: unknown): K6SummaryRecord {
  const metrics = obj(obj(data).metrics);
  const values = (name: string) => obj(obj(metrics[name]).values);
  const duration = values('http_req_duration');
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    runner,
    requests: n(values('http_reqs').count),
    failed: n(values('http_req_failed').passes),
    p50: n(duration.med),
    p90: n(duration['p(90)']),
    p95: n(duration['p(95)']),
    p99: n(duration['p(99)']),
    max: n(duration.max),
    avg: n(duration.avg),
    iterations: n(values('iterations').count),
    droppedIterations: n(values('dropped_iterations').count),
    checksPassed: n(values('checks').passes),
    checksFailed: n(values('checks').fails),
    testRunDurationMs: n(obj(obj(data).state).testRunDurationMs),
  };
}

/** Each runner's raw/<runner>/summary.json; a missing or broken one becomes a note, not an error. */
export async function readK6Summaries(runDir: string, runners: string[], notes: string[]): Promise<K6SummaryRecord[]> {
  const out: K6SummaryRecord[] = [];
  for (const runner of runners) {
    const rel = join('raw', runner, 'summary.json');
    let text: string;
    try {
      text = await readFile(join(runDir, rel), 'utf8');
    } catch {
      notes.push(`${rel}: missing; k6's own totals cannot be cross-checked for runner ${runner}`);
      continue;
    }
    try {
      out.push(k6SummaryCounts(runner, JSON.parse(text)));
    } catch (e) {
      notes.push(
        `${rel}: not valid JSON (${(e as Error).message}); write it with handleSummary returning JSON.stringify(data)`,
      );
    }
  }
  return out;
}

export function runIdFromDir(runDir: string): string {
  return basename(runDir.replace(/[\\/]+$/, '')) || 'run';
}
