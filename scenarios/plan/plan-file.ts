// plan.json on disk: written atomically (temp file + rename, so a reader never sees half a plan)
// and validated — schema and safety (allowlist, journey rate cap, request rate cap) — both ways.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fromZodIssues } from '../profile/issues.ts';
import { PlanError } from './plan-error.ts';
import { PlanSchema, type Plan } from './plan-schema.ts';
import { checkRate, checkRps, checkTarget, RPS_ROUNDING } from './safety.ts';
import { scheduledPeakRps } from './scheduled-rps.ts';

const DOCS = 'scenarios/plan/plan-schema.ts';

export async function writePlan(path: string, plan: Plan): Promise<void> {
  const checked = validatePlan(plan, `plan for ${path} (not written)`);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(checked, null, 2) + '\n', { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function readPlan(path: string): Promise<Plan> {
  const label = `plan ${path}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PlanError(label, [
      {
        path: [],
        message:
          code === 'ENOENT'
            ? 'no such file — build it first with the plan stage'
            : `cannot be read (${code ?? String(e)})`,
      },
    ]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PlanError(label, [
      { path: [], message: `not valid JSON (${(e as Error).message}) — the file is damaged; build the plan again` },
    ]);
  }
  return validatePlan(data, label);
}

/** Schema, then safety: a hand-edited plan must not point load at a host off its allowlist. */
export function validatePlan(data: unknown, label: string): Plan {
  const r = PlanSchema.safeParse(data);
  if (!r.success) throw new PlanError(label, fromZodIssues(r.error.issues, DOCS));
  const plan = r.data;
  const issues = [];
  const target = checkTarget(plan.target.baseUrl, plan.target.allowHosts);
  if (target) issues.push({ path: ['target', ...target.path], message: target.message });
  const rate = checkRate(plan.run.peakRate, plan.run.maxRate);
  if (rate) issues.push({ path: ['run', ...rate.path], message: rate.message });
  // The request cap holds on what the stages schedule, with room for k6's rounding of their targets.
  const scheduled = scheduledPeakRps(plan.k6.scenarios, plan.run.assetsPerPage);
  const rps = checkRps(
    scheduled,
    plan.run.maxRps,
    `the load its k6 stages schedule (${plan.run.assetsPerPage.first} assets on a visit's first page, ${plan.run.assetsPerPage.later} on later ones)`,
    { slack: RPS_ROUNDING },
  );
  if (rps) issues.push({ path: ['run', ...rps.path], message: rps.message });
  if (issues.length) throw new PlanError(label, issues);
  return plan;
}
