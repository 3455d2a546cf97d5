// After the agents have exited: which segment each runner ran, how much of its share, and every
// segment that did not run to its end (no claim, agent died, k6 failed). Those make the record
// partial; their chunks up to the failure are kept and used all the same.
import type { Plan } from '../../scenarios/plan/plan-schema.ts';
import type { BlobStore } from '../store/blob-store.ts';
import type { SampleTally } from '../local/live-progress.ts';
import { ClaimSchema, DoneSchema, KEYS, parseStoreJson, type RunManifest, type RunnerDone } from './run-manifest.ts';
import type { AgentExit, FaultHints, PartialRunner, RunnerShare } from './runner-types.ts';

/** k6 exit codes that still mean the load ran to its end (99: thresholds crossed). */
const COMPLETED = new Set([0, 99]);

export interface FaultInput {
  store: BlobStore;
  manifest: RunManifest;
  plan: Pick<Plan, 'expected'>;
  exits: Map<string, AgentExit>;
  perRunner: Map<string, SampleTally>;
  startAt: number;
  hints: FaultHints;
}

/** "ran 120 requests, 40 of ~45 planned journey starts (89 %) of its 1/4 share". Pure. */
export function shareText(s: RunnerShare, plannedTotal: number): string {
  const planned = plannedTotal * s.share;
  const pct = planned > 0 ? Math.round((100 * s.starts) / planned) : 0;
  return `ran ${s.requests} requests, ${s.starts} of ~${Math.round(planned)} planned journey starts (${pct} %) of its ${s.segment} share`;
}

export async function findFaults(
  i: FaultInput,
): Promise<{ partial: PartialRunner[]; shares: RunnerShare[]; done: RunnerDone[] }> {
  const { store, manifest: m } = i;
  const partial: PartialRunner[] = [];
  const shares: RunnerShare[] = [];
  const done: RunnerDone[] = [];
  const claimed = new Set<string>();
  for (let s = 0; s < m.segments.length; s++) {
    const segment = m.segments[s];
    const claimBody = await store.get(KEYS.claim(s));
    if (claimBody === null) {
      partial.push({
        runner: '(none)',
        segment,
        reason: `no runner claimed this segment, so its share never ran${await i.hints.unclaimed()}`,
      });
      continue;
    }
    const claim = parseStoreJson(ClaimSchema, claimBody, KEYS.claim(s));
    claimed.add(claim.runner);
    const t = i.perRunner.get(claim.runner);
    const share: RunnerShare = {
      runner: claim.runner,
      segment,
      share: 1 / m.segments.length,
      requests: t?.requests ?? 0,
      starts: (t?.iterations ?? 0) + (t?.dropped ?? 0),
    };
    shares.push(share);
    const doneBody = await store.get(KEYS.done(claim.runner));
    const exit = i.exits.get(claim.runner);
    if (doneBody === null) {
      const how = exit
        ? exit.signal
          ? `was killed (${exit.signal})`
          : `exited with code ${exit.code}`
        : 'stopped reporting';
      const when = exit
        ? ` at ${new Date(exit.at).toISOString()}, ${Math.max(0, (exit.at - i.startAt) / 1000).toFixed(1)} s into the run,`
        : '';
      const said = exit && !exit.signal && !exit.reason ? await i.hints.lastWords(claim.runner) : '';
      const what = exit?.reason ?? `${how}${when} without finishing${said ? ` (${said.slice(0, 200)})` : ''}`;
      partial.push({
        runner: claim.runner,
        segment,
        reason: `runner ${what}; its chunks up to then are kept: ${shareText(share, i.plan.expected.total)}`,
      });
      continue;
    }
    const d = parseStoreJson(DoneSchema, doneBody, KEYS.done(claim.runner));
    done.push(d);
    if (d.error !== null || (!d.interrupted && (d.exitCode === null || !COMPLETED.has(d.exitCode)))) {
      const log = await store.get(KEYS.log(claim.runner));
      const last = log?.toString('utf8').trim().split('\n').slice(-1)[0] ?? '';
      partial.push({
        runner: claim.runner,
        segment,
        reason: `${d.error ?? `k6 exited with code ${d.exitCode}`}${last ? ` (k6: ${last.slice(0, 200)})` : ''}; ${shareText(share, i.plan.expected.total)}`,
      });
    }
  }
  return { partial, shares, done };
}
