// The agents of a local distributed run: N child processes of this controller over a store it
// can reach (cli/agent-main.ts, one process group each), their logs in
// runs/<id>.partial/agents/. They are started and booted before the start time is fixed: on a
// busy machine N node processes can take longer to boot than any fixed delay, and an agent that
// finds its start time passed claims nothing (run-agent.ts). An agent has ended when its process
// has exited; one that ended badly has what is left of its group (its k6) killed.
import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunError } from '../../errors/errors.ts';
import { sleep, WAITING_FOR_RUN } from '../agent/find-run.ts';
import { parentBound } from '../parent-bound.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { DirStore } from '../store/dir-store.ts';
import type { AgentLauncher, LaunchedRun } from './agent-launcher.ts';
import type { AgentExit } from './runner-types.ts';

const AGENT_MAIN = fileURLToPath(new URL('../../cli/agent-main.ts', import.meta.url));

/** How often a booted agent looks for the run's manifest, and the controller at the agents' logs. */
const POLL_S = 0.2;

export interface LocalAgentsOptions {
  runners: number;
  /** The run's work directory: agent logs go to agents/ there. */
  work: string;
  /** The run's store: the agents start on it before the controller writes the run there. */
  store: BlobStore;
  /** Called for each agent once the start time is fixed (tests time a kill from it). */
  onAgentStarted?: (runner: string, pid: number) => void;
  /** How long the agents may take to boot, all together (default 120 s). */
  bootTimeoutMs?: number;
}

async function tail(path: string, lines = 3): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-lines).join(' | ');
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // already gone
  }
}

export class LocalAgents implements AgentLauncher {
  readonly exits = new Map<string, AgentExit>();
  readonly bootMs: number;
  private readonly pids = new Map<string, number>();
  private readonly agentsDir: string;
  private allExited: Promise<unknown> = new Promise(() => {});
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: LocalAgentsOptions) {
    this.agentsDir = join(o.work, 'agents');
    // Booted agents only have to notice the manifest, read the plan and claim a segment.
    this.bootMs = 2000 + 250 * o.runners;
  }

  /** Starts the agents and waits until each is up and looking for its run. */
  async prepare(signal?: AbortSignal): Promise<void> {
    const storeArg = this.o.store instanceof DirStore ? this.o.store.where : this.o.store.where.replace(/\/$/, '');
    const bootTimeoutMs = this.o.bootTimeoutMs ?? 120_000;
    await mkdir(this.agentsDir, { recursive: true });
    const exited: Promise<void>[] = [];
    for (let i = 0; i < this.o.runners; i++) {
      const runner = `local-${i}`;
      const logFile = await open(join(this.agentsDir, `${runner}.log`), 'w');
      // Its own process group (detached): a terminal Ctrl-C reaches only the controller, which
      // stops each agent's group (agent + its k6) in order. Bound to the controller
      // (parent-bound.ts): a controller killed outright takes its agents, and they their k6.
      const cmd = parentBound(process.execPath, [
        '--import',
        'tsx',
        AGENT_MAIN,
        '--store',
        storeArg,
        '--runner-name',
        runner,
        '--wait-for-run',
        String(Math.ceil(bootTimeoutMs / 1000) + 60),
        '--poll-every',
        String(POLL_S),
      ]);
      const child = spawn(cmd.command, cmd.args, {
        stdio: ['ignore', logFile.fd, logFile.fd],
        detached: true,
        cwd: process.cwd(),
        env: process.env,
      });
      this.pids.set(runner, child.pid!);
      exited.push(
        new Promise<void>((done) => {
          const finish = (code: number | null, signal: string | null) => {
            if (!this.exits.has(runner)) this.exits.set(runner, { runner, code, signal, at: Date.now() });
            // A lost agent's k6 must not go on loading the store uncounted. The kernel kills it
            // already (parent-bound.ts); this covers systems without setpriv. The group outlives
            // its leader while k6 is in it, so its id cannot have been reused yet.
            if (code !== 0) signalGroup(child.pid!, 'SIGKILL');
            void logFile.close().catch(() => {});
            done();
          };
          child.on('exit', finish);
          child.on('error', () => finish(-1, null));
        }),
      );
    }
    this.allExited = Promise.all(exited);
    const deadline = Date.now() + bootTimeoutMs;
    const booted = new Set<string>();
    while (booted.size < this.o.runners) {
      if (signal?.aborted) return this.stopBooting('SIGINT');
      for (const runner of this.pids.keys()) {
        if (booted.has(runner)) continue;
        const exit = this.exits.get(runner);
        if (exit) {
          await this.stopBooting('SIGKILL');
          throw new RunError(
            `agent ${runner} exited while starting (${exit.signal ?? `code ${exit.code}`}): ${await this.lastWords(runner)}`,
            `its whole log is ${join(this.agentsDir, `${runner}.log`)}`,
          );
        }
        const log = await readFile(join(this.agentsDir, `${runner}.log`), 'utf8').catch(() => '');
        if (log.includes(WAITING_FOR_RUN)) booted.add(runner);
      }
      if (booted.size === this.o.runners) break;
      if (Date.now() > deadline) {
        const slow = [...this.pids.keys()].filter((r) => !booted.has(r));
        await this.stopBooting('SIGKILL');
        throw new RunError(
          `${slow.length} of ${this.o.runners} local agents (${slow.join(', ')}) did not start within ${bootTimeoutMs / 1000} s: the machine is too busy; run fewer --runners or stop what is loading it`,
          `their logs are in ${this.agentsDir}`,
        );
      }
      await sleep(POLL_S * 1000);
    }
  }

  /** Signals the process group of every agent that has not exited. */
  private signalAlive(sig: NodeJS.Signals): void {
    for (const [runner, pid] of this.pids) if (!this.exits.has(runner)) signalGroup(pid, sig);
  }

  /** Boot failed or was interrupted: no agent outlives it. */
  private async stopBooting(sig: NodeJS.Signals): Promise<void> {
    this.signalAlive(sig);
    const killLater = setTimeout(() => this.signalAlive('SIGKILL'), 5000);
    await this.allExited;
    clearTimeout(killLater);
  }

  async start(_run: LaunchedRun): Promise<void> {
    // The agents are up and find the manifest within POLL_S; they only need the start time.
    for (const [runner, pid] of this.pids) this.o.onAgentStarted?.(runner, pid);
  }

  async refresh(): Promise<void> {}

  wake(): Promise<void> {
    return this.allExited.then(() => {});
  }

  finished(): boolean {
    return this.exits.size === this.pids.size;
  }

  runners(): string[] {
    return [...this.pids.keys()];
  }

  alive(): number {
    return this.o.runners - this.exits.size;
  }

  waiting(): string {
    return `runners ${this.alive()}/${this.o.runners} alive`;
  }

  stop(): void {
    this.signalAlive('SIGINT');
    this.killTimer ??= setTimeout(() => this.signalAlive('SIGKILL'), 30_000);
  }

  async close(): Promise<void> {
    clearTimeout(this.killTimer);
  }

  onProcessExit(): void {
    // A second Ctrl-C exits the controller at once: the agents' groups must not outlive it.
    this.signalAlive('SIGKILL');
  }

  async unclaimed(): Promise<string> {
    const failed = [...this.exits.values()].filter((e) => e.code !== 0);
    const why = await Promise.all(
      failed.map(async (e) => `${e.runner}: ${await tail(join(this.agentsDir, `${e.runner}.log`), 1)}`),
    );
    return why.length ? `; agents that failed: ${why.join('; ')}` : '';
  }

  async lastWords(runner: string): Promise<string> {
    return tail(join(this.agentsDir, `${runner}.log`), 1);
  }
}
