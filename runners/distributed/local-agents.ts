// The agents of a local distributed run: N child processes of this controller over a store it
// can reach (cli/agent-main.ts, one process group each), their logs in
// runs/<id>.partial/agents/. An agent has ended when its process has exited; one that ended
// badly has what is left of its group (its k6) killed.
import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentBound } from '../parent-bound.ts';
import { DirStore } from '../store/dir-store.ts';
import type { AgentLauncher, LaunchedRun } from './agent-launcher.ts';
import type { AgentExit } from './runner-types.ts';

const AGENT_MAIN = fileURLToPath(new URL('../../cli/agent-main.ts', import.meta.url));

export interface LocalAgentsOptions {
  runners: number;
  /** The run's work directory: agent logs go to agents/ there. */
  work: string;
  /** Called as each agent starts (tests use it to kill one). */
  onAgentStarted?: (runner: string, pid: number) => void;
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
    this.bootMs = 4000 + 500 * o.runners;
  }

  async prepare(): Promise<void> {}

  async start(run: LaunchedRun): Promise<void> {
    const storeArg = run.store instanceof DirStore ? run.store.where : run.store.where.replace(/\/$/, '');
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
      this.o.onAgentStarted?.(runner, child.pid!);
    }
    this.allExited = Promise.all(exited);
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
    for (const [runner, pid] of this.pids) if (!this.exits.has(runner)) signalGroup(pid, 'SIGINT');
    this.killTimer ??= setTimeout(() => {
      for (const [runner, pid] of this.pids) if (!this.exits.has(runner)) signalGroup(pid, 'SIGKILL');
    }, 30_000);
  }

  async close(): Promise<void> {
    clearTimeout(this.killTimer);
  }

  onProcessExit(): void {
    // A second Ctrl-C exits the controller at once: the agents' groups must not outlive it.
    for (const [runner, pid] of this.pids) if (!this.exits.has(runner)) signalGroup(pid, 'SIGKILL');
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
