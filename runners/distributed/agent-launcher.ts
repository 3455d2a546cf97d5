// How the controller of a distributed run (run-distributed.ts) starts its agents, learns that
// they are alive or have ended, and stops them: N local processes (local-agents.ts) or the AWS
// runner fleet (runners/fleet/fleet-agents.ts). Everything else (store, manifest, chunks,
// progress, faults) is the same code for both.
import type { Plan } from '../../scenarios/plan/plan-schema.ts';
import type { BlobStore } from '../store/blob-store.ts';
import type { RunManifest } from './run-manifest.ts';
import type { AgentExit, FaultHints } from './runner-types.ts';

export interface LaunchedRun {
  plan: Plan;
  manifest: RunManifest;
  /** The common start time, ms since epoch. */
  startAt: number;
  /** The run's store; plan.json and manifest.json are in it already. */
  store: BlobStore;
}

export interface AgentLauncher extends FaultHints {
  /** Start delay when the caller gives none: time for the agents to boot and claim a segment. */
  readonly bootMs: number;
  /**
   * Work before the start time is fixed: local agents are started and booted, the fleet checks
   * its groups and uploads the agent bundle. Returns early when the signal aborts.
   */
  prepare(signal?: AbortSignal): Promise<void>;
  start(run: LaunchedRun): Promise<void>;
  /** Looks again (the fleet reads claims and done markers); called every progress tick. */
  refresh(): Promise<void>;
  /** Resolves when there is news between ticks (a local agent exited, Ctrl-C). */
  wake(): Promise<void>;
  /** Every runner has ended (exited, reported done, or was declared lost): the run is over. */
  finished(): boolean;
  /** Runners that ended, by name; a runner absent here and from the store's done markers is lost. */
  readonly exits: Map<string, AgentExit>;
  /** Runner names known so far (started, or seen claiming a segment). */
  runners(): string[];
  /** Runners running now, and the progress text before the start ("runners 4/4 alive"). */
  alive(): number;
  waiting(): string;
  /** Ctrl-C: stop the load early and keep what it measured. */
  stop(): void;
  /** No agent outlives the run: always called, more than once is fine. */
  close(): Promise<void>;
  /** The controller exits at once (a second Ctrl-C): last, synchronous, clean-up. */
  onProcessExit(): void;
}
