// The agent: one runner of a distributed run. It finds its run in the blob store (the manifest at
// the store's root, or the run a fleet store's current-run.json names), claims a segment
// (conditional write: first writer wins), waits for the common start time, runs k6 on its segment
// and uploads its samples in checksummed chunks while k6 runs, then writes done.json last. Every
// object it writes is whole (atomic puts); a failure before the claim writes nothing, and one
// after it still ends with done.json when the store lets it. A stop.json from the controller
// stops k6 early, as a signal does.
import { spawn } from 'node:child_process';
import { generatorLogLine } from '../../reports/record/generator-health.ts';
import { watchCpu } from '../local/k6-cpu.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPlan } from '../../scenarios/plan/plan-file.ts';
import { k6Command } from '../../scenarios/run/k6-command.ts';
import { k6Binary } from '../k6-binary.ts';
import { parentBound } from '../parent-bound.ts';
import { customerPasswordEnv } from '../../infra/local/wordpress.ts';
import type { BlobStore } from '../store/blob-store.ts';
import {
  CLAIM_SCHEMA,
  DONE_SCHEMA,
  KEYS,
  RUNNER_NAME,
  type RunnerDone,
  type RunManifest,
} from '../distributed/run-manifest.ts';
import { AgentError } from './agent-error.ts';
import { CsvChunker } from './csv-chunks.ts';
import { findRun, sleep } from './find-run.ts';
import { watchStop } from './stop-watch.ts';

export { AgentError };

export interface AgentOptions {
  store: BlobStore;
  runnerName?: string;
  log: (line: string) => void;
  /** Abort = stop k6 early and keep what ran. */
  signal?: AbortSignal;
  /** The abort came from a signal already delivered to k6 (same process group): do not send another. */
  signalReachesK6?: () => boolean;
  /** How long to wait for a run to appear in the store (fleet runners boot before it); default 0. */
  waitForRunMs?: number;
  /** How often to look while waiting (default: find-run.ts's, 5 s); local agents look often. */
  pollForRunMs?: number;
}

export function defaultRunnerName(): string {
  return `${hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 40)}-${process.pid}`;
}

/** The plan, validated as the run stage does (schema and safety), from a private temp copy. */
async function readStorePlan(store: BlobStore, dir: string): Promise<string> {
  const body = await store.get(KEYS.plan);
  if (body === null)
    throw new AgentError(
      `${store.where}: no ${KEYS.plan}; the controller writes it before the manifest: check --store points at the run's store`,
    );
  const path = join(dir, 'plan.json');
  await writeFile(path, body);
  try {
    await readPlan(path);
  } catch (e) {
    throw new AgentError(`${store.where} ${KEYS.plan}: ${(e as Error).message}`);
  }
  return path;
}

async function claimSegment(store: BlobStore, m: RunManifest, runner: string): Promise<number> {
  for (let i = 0; i < m.segments.length; i++) {
    const claim = { schema: CLAIM_SCHEMA, segment: i, runner, claimedAt: new Date().toISOString() };
    if (await store.putIfAbsent(KEYS.claim(i), JSON.stringify(claim) + '\n')) return i;
  }
  throw new AgentError(
    `run ${m.runId}: all ${m.segments.length} segments are claimed already (${store.where}/${KEYS.claims}); nothing for runner ${runner} to do`,
  );
}

export async function runAgent(o: AgentOptions): Promise<RunnerDone> {
  const runner = o.runnerName ?? defaultRunnerName();
  if (!RUNNER_NAME.test(runner))
    throw new AgentError(
      `--runner-name "${runner}": use letters, digits, ".", "_", ":" or "-", up to 63, starting with a letter or digit (it names a directory)`,
    );
  const { log } = o;
  const { store, manifest: m } = await findRun(o.store, {
    waitMs: o.waitForRunMs,
    pollMs: o.pollForRunMs,
    signal: o.signal,
    log,
  });
  const startAt = Date.parse(m.startAt);
  // Checked before claiming: a late agent must not take a segment it cannot run on time.
  if (startAt < Date.now())
    throw new AgentError(
      `run ${m.runId}: start time ${m.startAt} passed ${((Date.now() - startAt) / 1000).toFixed(1)} s ago; no segment claimed. Start a new run (the controller writes a fresh manifest)`,
    );
  const work = await mkdtemp(join(tmpdir(), `rehearse-agent-${runner}-`));
  try {
    const planPath = await readStorePlan(store, work);
    const segment = await claimSegment(store, m, runner);
    log(`runner ${runner}: claimed segment ${m.segments[segment]} of run ${m.runId}; starting at ${m.startAt}`);
    const stop = watchStop({ store, own: o.signal, everyMs: m.chunkEveryMs, log, runner });
    try {
      return await runSegment(
        { ...o, store, signal: stop.signal },
        runner,
        m,
        segment,
        planPath,
        work,
        stop.byController,
      );
    } finally {
      stop.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function runSegment(
  o: AgentOptions & { signal: AbortSignal },
  runner: string,
  m: RunManifest,
  segment: number,
  planPath: string,
  work: string,
  stoppedByController: () => boolean,
): Promise<RunnerDone> {
  const { store, log, signal } = o;
  await sleep(Date.parse(m.startAt) - Date.now(), signal);
  const startedAt = new Date().toISOString();
  const samples = join(work, 'samples.csv');
  const summaryPath = join(work, 'summary.json');
  const chunker = new CsvChunker(samples);
  let chunks = 0;
  /** http_reqs in chunks the store accepted. */
  let requests = 0;
  let error: string | null = null;
  let exitCode: number | null = null;
  let k6Log = '';

  const upload = async () => {
    for (let c = await chunker.cut(); c !== null; c = await chunker.cut()) {
      await store.put(KEYS.chunk(runner, c.n, c.sha256), c.body);
      chunks = c.n;
      requests += c.requests;
    }
  };

  let k6Bin: string | null = null;
  try {
    k6Bin = k6Binary();
  } catch (e) {
    error = (e as Error).message;
  }
  if (!signal.aborted && k6Bin !== null) {
    const cmd = k6Command({
      k6Bin,
      planPath,
      summaryPath,
      extraArgs: [
        '--quiet',
        '--out',
        `csv=${samples}`,
        '--execution-segment',
        m.segments[segment],
        '--execution-segment-sequence',
        m.sequence,
      ],
    });
    // Same process group as the agent: whoever kills the agent's group stops its load too. And
    // bound to the agent (parent-bound.ts): if the agent alone dies, the kernel kills k6.
    // Returning customers' login (account journey) comes from the environment, as for the local runner.
    const bound = parentBound(cmd.command, cmd.args);
    const child = spawn(bound.command, bound.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...customerPasswordEnv(), ...cmd.env },
    });
    const cpu = watchCpu(child.pid);
    child.stdout.on('data', (d) => (k6Log += d));
    child.stderr.on('data', (d) => (k6Log += d));
    let killTimer: NodeJS.Timeout | undefined;
    const stopK6 = () => {
      // A stop.json reaches only this agent: k6 needs its SIGINT then, whatever signalReachesK6 says.
      if (stoppedByController() || !o.signalReachesK6?.()) child.kill('SIGINT');
      killTimer ??= setTimeout(() => child.kill('SIGKILL'), 20_000);
    };
    signal.addEventListener('abort', stopK6, { once: true });
    const exited = new Promise<number>((done) => {
      child.on('error', (e) => {
        error = `k6 did not start: ${e.message}`;
        done(-1);
      });
      child.on('close', (code, sig) => done(code ?? (sig ? 128 : -1)));
    });
    let running = true;
    void exited.then(() => (running = false));
    // Upload while k6 runs; a store that refuses a chunk stops the load (it would be lost).
    while (running) {
      await Promise.race([sleep(m.chunkEveryMs), exited]);
      try {
        await upload();
      } catch (e) {
        error ??= `uploading a chunk failed, load stopped: ${(e as Error).message}`;
        child.kill('SIGINT');
        killTimer ??= setTimeout(() => child.kill('SIGKILL'), 20_000);
        break;
      }
    }
    exitCode = await exited;
    clearTimeout(killTimer);
    // Travels in the log (already collected into raw/<runner>/k6.log) rather than a new store key.
    k6Log += `\n${generatorLogLine(await cpu.stop())}\n`;
    signal.removeEventListener('abort', stopK6);
    if (error === null) {
      await upload().catch((e) => {
        error = `uploading the last chunk failed: ${(e as Error).message}`;
      });
    }
  }
  const summaryText = await readFile(summaryPath, 'utf8').catch(() => null);
  let summary: unknown = null;
  try {
    summary = summaryText ? JSON.parse(summaryText) : null;
  } catch {
    k6Log += `\n(rehearse agent: ${summaryPath} was not valid JSON; not kept)\n`;
  }
  const done: RunnerDone = {
    schema: DONE_SCHEMA,
    runner,
    segment,
    exitCode,
    interrupted: signal.aborted,
    chunks,
    requests,
    startedAt,
    endedAt: new Date().toISOString(),
    error,
    summary,
  };
  await store.put(KEYS.log(runner), k6Log);
  await store.put(KEYS.done(runner), JSON.stringify(done) + '\n');
  log(
    `runner ${runner}: segment ${m.segments[segment]} done, k6 exit ${exitCode}, ${requests} requests in ${chunks} chunks${error ? `; ${error}` : ''}`,
  );
  return done;
}
