// The controller of a distributed run (docs/architecture.md, "Distribution is k6's own"): writes plan.json
// and the run manifest to a blob store, has its launcher start the agents (N local processes, or
// the AWS runner fleet), each of which claims a segment there, shows progress merged across
// runners from the chunks they upload, copies those chunks into raw/<runner>/, and reports every
// segment that did not run to its end.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from '../../scenarios/plan/plan-schema.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { DirStore } from '../store/dir-store.ts';
import { formatFleetProgress, SampleTally, type ProgressSnapshot } from '../local/live-progress.ts';
import type { AgentLauncher } from './agent-launcher.ts';
import { ChunkCollector, collectLogs } from './collect-chunks.ts';
import { LocalAgents } from './local-agents.ts';
import { findFaults } from './runner-faults.ts';
import type { PartialRunner, RunnerShare } from './runner-types.ts';
import { KEYS, MANIFEST_SCHEMA, type RunManifest } from './run-manifest.ts';
import { plannedArrivalRate } from './planned-rate.ts';
import { segmentsFor } from './segments.ts';

export interface DistributedOptions {
  plan: Plan;
  /** The plan file to publish (runs/<id>.partial/plan.json). */
  planPath: string;
  /** The run's work directory: raw/ and agents/ go there, and the default store (store/). */
  work: string;
  runners: number;
  store?: BlobStore;
  /** Who starts the agents; default N local processes (LocalAgents) over the store. */
  launcher?: AgentLauncher;
  signal?: AbortSignal;
  log: (line: string) => void;
  onProgress?: (line: string, snapshot: ProgressSnapshot) => void;
  /** Time from the manifest to the common start (default: the launcher's; local agents have booted by then). */
  startDelayMs?: number;
  chunkEveryMs?: number;
  progressEveryMs?: number;
  /** Local agents: called for each agent once the start time is fixed (tests use it to kill one). */
  onAgentStarted?: (runner: string, pid: number) => void;
}

export interface DistributedResult {
  interrupted: boolean;
  partial: PartialRunner[];
  shares: RunnerShare[];
  requests: number;
  /** Chunks copied into raw/, all runners. */
  chunks: number;
  notes: string[];
  /** The last progress line shown. */
  lastLine: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runDistributed(o: DistributedOptions): Promise<DistributedResult> {
  const store = o.store ?? new DirStore(join(o.work, 'store'));
  const launcher =
    o.launcher ?? new LocalAgents({ runners: o.runners, work: o.work, store, onAgentStarted: o.onAgentStarted });
  let interrupted = false;
  const stopAll = () => {
    interrupted = true;
    launcher.stop();
  };
  const onExit = () => launcher.onProcessExit();
  process.on('exit', onExit);
  try {
    await launcher.prepare(o.signal);
    if (o.signal?.aborted)
      return { interrupted: true, partial: [], shares: [], requests: 0, chunks: 0, notes: [], lastLine: '' };
    const seg = segmentsFor(o.runners);
    const startAt = Date.now() + (o.startDelayMs ?? launcher.bootMs);
    const manifest: RunManifest = {
      schema: MANIFEST_SCHEMA,
      runId: o.plan.id,
      sequence: seg.sequence,
      segments: seg.segments,
      startAt: new Date(startAt).toISOString(),
      chunkEveryMs: o.chunkEveryMs ?? 2000,
    };
    // The plan first: an agent that sees the manifest can always read the plan.
    await store.put(KEYS.plan, await readFile(o.planPath));
    await store.put(KEYS.manifest, JSON.stringify(manifest, null, 2) + '\n');
    o.log(
      `run ${o.plan.id}: ${o.runners} runners (segments ${seg.segments.join(' ')}), store ${store.where}, start at ${manifest.startAt}`,
    );
    await launcher.start({ plan: o.plan, manifest, startAt, store });
    if (o.signal?.aborted) stopAll();
    o.signal?.addEventListener('abort', stopAll, { once: true });

    const total = new SampleTally();
    const perRunner = new Map<string, SampleTally>();
    const collector = new ChunkCollector(store, join(o.work, 'raw'), (runner, body) => {
      total.feed(body);
      const t = perRunner.get(runner) ?? new SampleTally();
      t.feed(body);
      perRunner.set(runner, t);
    });
    let lastLine = '';
    const show = () => {
      const snap = total.snapshot(startAt);
      const wait = Math.ceil((startAt - Date.now()) / 1000);
      const line =
        wait > 0
          ? `starting in ${wait}s  ${launcher.waiting()}`
          : formatFleetProgress(snap, {
              plannedS: o.plan.run.durationS,
              plannedArrivalRate: plannedArrivalRate(o.plan, snap.elapsedS),
              alive: launcher.alive(),
              runners: o.runners,
            });
      lastLine = line;
      o.onProgress?.(line, snap);
    };
    const retrying = (what: string) => (e: unknown) => o.log(`${what}: ${(e as Error).message} (retrying)`);
    while (!launcher.finished()) {
      await Promise.race([sleep(o.progressEveryMs ?? 1000), launcher.wake()]);
      await launcher.refresh().catch(retrying('watching the runners'));
      await collector.poll().catch(retrying('collecting chunks'));
      show();
    }
    // Every runner has ended: stop paying for machines before the aggregation.
    await launcher.close();
    // Everything that arrived, including chunks of runners that died: none is dropped.
    await collector.poll(true);
    show();
    await collectLogs(store, join(o.work, 'raw'), launcher.runners());

    const faults = await findFaults({
      store,
      manifest,
      plan: o.plan,
      exits: launcher.exits,
      perRunner,
      startAt,
      hints: launcher,
    });
    for (const d of faults.done) {
      if (d.summary !== null && collector.copied.has(d.runner))
        await writeFile(join(o.work, 'raw', d.runner, 'summary.json'), JSON.stringify(d.summary));
    }
    for (const p of faults.partial) o.log(`runner ${p.runner}, segment ${p.segment}: ${p.reason}`);
    const chunks = [...collector.copied.values()].reduce((a, b) => a + b, 0);
    return {
      interrupted,
      partial: faults.partial,
      shares: faults.shares,
      requests: total.requests,
      chunks,
      notes: collector.notes,
      lastLine,
    };
  } finally {
    o.signal?.removeEventListener('abort', stopAll);
    process.off('exit', onExit);
    await launcher.close();
  }
}
