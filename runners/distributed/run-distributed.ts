// The controller of a distributed run (DESIGN.md, "Distribution is k6's own"): writes plan.json
// and the run manifest to a blob store, starts N local agents as child processes (each claims a
// segment there), shows progress merged across runners from the chunks they upload, copies those
// chunks into raw/<runner>/, and reports every segment that did not run to its end.
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../scenarios/plan/plan-schema.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { DirStore } from '../store/dir-store.ts';
import { formatFleetProgress, SampleTally, type ProgressSnapshot } from '../local/live-progress.ts';
import { ChunkCollector, collectLogs } from './collect-chunks.ts';
import { findFaults, type AgentExit, type PartialRunner } from './runner-faults.ts';
import { KEYS, MANIFEST_SCHEMA, type RunManifest } from './run-manifest.ts';
import { plannedArrivalRate } from './planned-rate.ts';
import { segmentsFor } from './segments.ts';

const AGENT_MAIN = fileURLToPath(new URL('../agent/agent-main.ts', import.meta.url));

export interface DistributedOptions {
  plan: Plan;
  /** The plan file to publish (runs/<id>.partial/plan.json). */
  planPath: string;
  /** The run's work directory: raw/ and agents/ go there, and the default store (store/). */
  work: string;
  runners: number;
  store?: BlobStore;
  signal?: AbortSignal;
  log: (line: string) => void;
  onProgress?: (line: string, snapshot: ProgressSnapshot) => void;
  /** Time the agents get to boot before the common start (default 4 s + 0.5 s per runner). */
  startDelayMs?: number;
  chunkEveryMs?: number;
  progressEveryMs?: number;
  /** Called as each agent starts (tests use it to kill one). */
  onAgentStarted?: (runner: string, pid: number) => void;
}

export interface RunnerShare {
  runner: string;
  segment: string;
  share: number;
  requests: number;
  /** Journey starts it ran: iterations + dropped iterations. */
  starts: number;
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
  const seg = segmentsFor(o.runners);
  const startAt = Date.now() + (o.startDelayMs ?? 4000 + 500 * o.runners);
  const manifest: RunManifest = {
    schema: MANIFEST_SCHEMA, runId: o.plan.id, sequence: seg.sequence, segments: seg.segments,
    startAt: new Date(startAt).toISOString(), chunkEveryMs: o.chunkEveryMs ?? 2000,
  };
  // The plan first: an agent that sees the manifest can always read the plan.
  await store.put(KEYS.plan, await readFile(o.planPath));
  await store.put(KEYS.manifest, JSON.stringify(manifest, null, 2) + '\n');
  o.log(`run ${o.plan.id}: ${o.runners} runners (segments ${seg.segments.join(' ')}), store ${store.where}, start at ${manifest.startAt}`);

  const storeArg = store instanceof DirStore ? store.where : store.where.replace(/\/$/, '');
  const agentsDir = join(o.work, 'agents');
  await mkdir(agentsDir, { recursive: true });
  const exits = new Map<string, AgentExit>();
  const pids = new Map<string, number>();
  const exited: Promise<void>[] = [];
  for (let i = 0; i < o.runners; i++) {
    const runner = `local-${i}`;
    const logFile = await open(join(agentsDir, `${runner}.log`), 'w');
    // Its own process group (detached): a terminal Ctrl-C reaches only the controller, which
    // stops each agent's group (agent + its k6) in order.
    const child = spawn(process.execPath, ['--import', 'tsx', AGENT_MAIN, '--store', storeArg, '--runner-name', runner], {
      stdio: ['ignore', logFile.fd, logFile.fd], detached: true, cwd: process.cwd(), env: process.env,
    });
    pids.set(runner, child.pid!);
    exited.push(new Promise<void>((done) => {
      const finish = (code: number | null, signal: string | null) => {
        if (!exits.has(runner)) exits.set(runner, { runner, code, signal, at: Date.now() });
        void logFile.close().catch(() => {});
        done();
      };
      child.on('exit', finish);
      child.on('error', () => finish(-1, null));
    }));
    o.onAgentStarted?.(runner, child.pid!);
  }

  let interrupted = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stopAll = () => {
    interrupted = true;
    for (const [runner, pid] of pids) if (!exits.has(runner)) signalGroup(pid, 'SIGINT');
    killTimer = setTimeout(() => { for (const [runner, pid] of pids) if (!exits.has(runner)) signalGroup(pid, 'SIGKILL'); }, 30_000);
  };
  if (o.signal?.aborted) stopAll();
  o.signal?.addEventListener('abort', stopAll, { once: true });
  // A second Ctrl-C exits the controller at once: the agents' groups must not outlive it.
  const killOnExit = () => { for (const [runner, pid] of pids) if (!exits.has(runner)) signalGroup(pid, 'SIGKILL'); };
  process.on('exit', killOnExit);

  const total = new SampleTally();
  const perRunner = new Map<string, SampleTally>();
  const collector = new ChunkCollector(store, join(o.work, 'raw'), (runner, text) => {
    total.feed(text);
    const t = perRunner.get(runner) ?? new SampleTally();
    t.feed(text);
    perRunner.set(runner, t);
  });
  let lastLine = '';
  const show = () => {
    const snap = total.snapshot(startAt);
    const wait = Math.ceil((startAt - Date.now()) / 1000);
    const line = wait > 0 ? `starting in ${wait}s  runners ${o.runners - exits.size}/${o.runners} alive` : formatFleetProgress(snap, {
      plannedS: o.plan.run.durationS, plannedArrivalRate: plannedArrivalRate(o.plan, snap.elapsedS),
      alive: o.runners - exits.size, runners: o.runners,
    });
    lastLine = line;
    o.onProgress?.(line, snap);
  };
  const allExited = Promise.all(exited);
  let running = true;
  void allExited.then(() => (running = false));
  while (running) {
    await Promise.race([sleep(o.progressEveryMs ?? 1000), allExited]);
    await collector.poll().catch((e) => o.log(`collecting chunks: ${(e as Error).message} (retrying)`));
    show();
  }
  clearTimeout(killTimer);
  o.signal?.removeEventListener('abort', stopAll);
  process.off('exit', killOnExit);
  // Everything that arrived, including chunks of runners that died: none is dropped.
  await collector.poll(true);
  show();
  const names = [...pids.keys()];
  await collectLogs(store, join(o.work, 'raw'), names);

  const faults = await findFaults({ store, manifest, plan: o.plan, exits, perRunner, startAt, agentsDir });
  for (const d of faults.done) {
    if (d.summary !== null && collector.copied.has(d.runner)) await writeFile(join(o.work, 'raw', d.runner, 'summary.json'), JSON.stringify(d.summary));
  }
  for (const p of faults.partial) o.log(`runner ${p.runner}, segment ${p.segment}: ${p.reason}`);
  const chunks = [...collector.copied.values()].reduce((a, b) => a + b, 0);
  return { interrupted, partial: faults.partial, shares: faults.shares, requests: total.requests, chunks, notes: collector.notes, lastLine };
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}
