// The agents of a distributed run on the AWS runner fleet (infra/aws/fleet): the groups rest at
// 0 runners; the controller uploads the agent bundle, writes the run under "<plan id>/" in the
// rehearsal's store with current-run.json naming it (and the bundle's SHA-256), then scales each
// region's group up. The runners boot, install the bundle only if its hash matches, and start
// `rehearse agent` on the rehearsal's store, which follows the pointer. A runner has ended when
// its done.json is there (fleet-watch.ts says when one is lost); at the end, on failure and on
// Ctrl-C the groups go back to 0.
import { InputError } from '../../errors/errors.ts';
import { sha256 } from '../agent/csv-chunks.ts';
import type { BlobStore } from '../store/blob-store.ts';
import { PrefixedStore } from '../store/prefixed-store.ts';
import type { AgentLauncher, LaunchedRun } from '../distributed/agent-launcher.ts';
import type { AgentExit } from '../distributed/runner-types.ts';
import {
  CLAIM_KEY,
  ClaimSchema,
  CURRENT_RUN_SCHEMA,
  DoneSchema,
  KEYS,
  parseStoreJson,
  runSubPrefix,
  STOP_SCHEMA,
  type CurrentRun,
  type RunStop,
} from '../distributed/run-manifest.ts';
import { scaleDownByHand, setCapacityCommand, splitRunners, tooFewRunners, type FleetGroup } from './fleet-capacity.ts';
import { armSwitch, describeGroups, disarmSwitches, setDesired, type AutoScalingFor } from './fleet-groups.ts';
import { DEFAULT_GRACE_MS, judgeRunners, runDeadline, type Deadline } from './fleet-watch.ts';

export interface FleetAgentsOptions {
  /** The rehearsal's store (the fleet stack's store_url): where every runner's agent starts. */
  root: BlobStore;
  /** The run: its files go under "<plan id>/" in root. */
  planId: string;
  runners: number;
  /** Each fleet region's runner group; runners are split across them evenly. */
  groups: FleetGroup[];
  autoScaling: AutoScalingFor;
  /** The agent bundle (agent-bundle.ts) and its key in root (fleet-config.ts bundleKey, relative). */
  bundle: () => Promise<Buffer>;
  bundleKey: string;
  /** The AWS config file, named in messages (fleet.runnersPerRegion lives there). */
  configPath: string;
  log: (line: string) => void;
  /** Time from scaling up to the start: boot, k6 and npm install (default 6 min). */
  bootMs?: number;
  /** After the plan's end, how long a runner may take to report (default DEFAULT_GRACE_MS). */
  graceMs?: number;
  /** After a Ctrl-C, how long runners get to upload their last chunk (default 30 s). */
  stopGraceMs?: number;
  /** After the run's deadline, when the dead-man's switch scales the groups to 0 (default 10 min). */
  switchAfterMs?: number;
}

export class FleetAgents implements AgentLauncher {
  readonly exits = new Map<string, AgentExit>();
  readonly bootMs: number;
  /** The run's own store: what the controller and the agents read and write. */
  readonly runStore: BlobStore;
  /** Runners that claimed a segment. */
  private readonly claimed = new Set<string>();
  /** Store keys already read (claims, done markers). */
  private readonly seen = new Set<string>();
  private counts: number[] = [];
  private run?: LaunchedRun;
  /** SHA-256 of the bundle prepare() uploaded: the pointer carries it to the runners. */
  private bundleSha256?: string;
  private deadline?: Deadline;
  private stoppedAt?: number;
  private over = false;
  private scaled = false;
  private down?: Promise<void>;
  private downConfirmed = false;
  private closed = false;
  private wakeUp = () => {};

  constructor(private readonly o: FleetAgentsOptions) {
    this.bootMs = o.bootMs ?? 360_000;
    this.runStore = new PrefixedStore(o.root, runSubPrefix(o.planId));
  }

  async prepare(): Promise<void> {
    const { o } = this;
    const groups = await describeGroups(o.groups, o.autoScaling, o.configPath);
    const busy = groups.find((g) => g.desired > 0);
    if (busy) {
      throw new InputError(
        `runner group ${busy.asgName} in ${busy.region} already runs ${busy.desired} runner(s): another run is using the fleet, or an earlier one did not scale it back. ` +
          `Wait for it, or scale it to 0: ${setCapacityCommand(busy, 0)}`,
      );
    }
    const counts = splitRunners(
      o.runners,
      groups.map((g) => g.max),
    );
    if (!counts) throw tooFewRunners(o.runners, groups, o.configPath);
    this.counts = counts;
    for (const g of o.groups) {
      const stale = await disarmSwitches(g, o.autoScaling);
      if (stale.length)
        o.log(`fleet: removed ${stale.join(', ')} from ${g.asgName} (left by an earlier run; it would stop this one)`);
    }
    const bytes = await o.bundle();
    this.bundleSha256 = sha256(bytes);
    await o.root.put(o.bundleKey, bytes);
    o.log(
      `fleet: agent bundle (${(bytes.length / 1024).toFixed(0)} KiB, sha256 ${this.bundleSha256}) uploaded to ${o.root.where}${o.bundleKey}`,
    );
  }

  async start(run: LaunchedRun): Promise<void> {
    const { o } = this;
    if (run.plan.id !== o.planId)
      throw new Error(
        `fleet launcher made for run ${o.planId} was handed run ${run.plan.id}: make it with the plan's id`,
      );
    if (this.bundleSha256 === undefined)
      throw new Error('fleet launcher started before prepare() uploaded the agent bundle: call prepare() first');
    this.run = run;
    this.deadline = runDeadline(run.plan, run.startAt, o.graceMs ?? DEFAULT_GRACE_MS);
    // After the run's own files: a runner that follows the pointer finds the manifest.
    const pointer: CurrentRun = {
      schema: CURRENT_RUN_SCHEMA,
      runId: run.plan.id,
      prefix: runSubPrefix(run.plan.id),
      startAt: run.manifest.startAt,
      // Runners may not write this file nor the bundle (infra/aws/fleet/runner-policy.ts): a
      // bundle changed after this upload is refused by every runner that boots.
      bundleSha256: this.bundleSha256,
      writtenAt: new Date().toISOString(),
    };
    await o.root.put(KEYS.currentRun, JSON.stringify(pointer, null, 2) + '\n');
    const switchAt = new Date(this.deadline.at + (o.switchAfterMs ?? 600_000));
    this.scaled = true;
    for (const [i, g] of o.groups.entries()) {
      // A safety net, not a reason to refuse the run: the finally below scales down all the same.
      await armSwitch(g, run.plan.id, switchAt, o.autoScaling).catch((e) =>
        o.log(
          `fleet: could not schedule ${g.asgName}'s fallback scale-down (${(e as Error).message}); if this controller dies, scale it to 0 by hand`,
        ),
      );
      if (this.counts[i]! > 0) await setDesired(g, this.counts[i]!, o.autoScaling);
    }
    o.log(
      `fleet: ${o.groups.map((g, i) => `${g.region} ${this.counts[i]}`).join(', ')} runner(s) booting; they join run ${run.plan.id} through ${o.root.where}${KEYS.currentRun}` +
        ` (the groups go back to 0 at the end, or at ${switchAt.toISOString()} by a scheduled action if this controller dies)`,
    );
  }

  async refresh(): Promise<void> {
    const { run, deadline } = this;
    if (!run || !deadline || this.over) return;
    // What the store could not say now it says next tick; the deadline is judged regardless, so
    // a store that stays unreadable ends the run with its runners reported lost, never hangs it.
    await this.readStore().catch((e) =>
      this.o.log(`fleet: reading ${this.runStore.where}: ${(e as Error).message} (retrying)`),
    );
    const now = Date.now();
    const verdict = judgeRunners({
      now,
      startAt: run.startAt,
      claimed: [...this.claimed],
      ended: new Set(this.exits.keys()),
      deadline,
      stoppedAt: this.stoppedAt,
      stopGraceMs: this.o.stopGraceMs ?? 30_000,
      claimSlackMs: 5000,
    });
    for (const l of verdict.lost)
      this.exits.set(l.runner, { runner: l.runner, code: null, signal: null, at: now, reason: l.reason });
    this.over = verdict.finished;
  }

  /** New claims, and done markers of claimed runners; a damaged object is said once and skipped. */
  private async readStore(): Promise<void> {
    for (const key of await this.runStore.list(KEYS.claims)) {
      if (this.seen.has(key) || !CLAIM_KEY.test(key)) continue;
      const body = await this.runStore.get(key);
      if (body === null) continue;
      this.seen.add(key);
      try {
        this.claimed.add(parseStoreJson(ClaimSchema, body, `${this.runStore.where}${key}`).runner);
      } catch (e) {
        this.o.log(`fleet: ${(e as Error).message.split('\n')[0]}; that claim is ignored`);
      }
    }
    for (const runner of this.claimed) {
      const key = KEYS.done(runner);
      if (this.exits.has(runner) || this.seen.has(key)) continue;
      const body = await this.runStore.get(key);
      if (body === null) continue;
      this.seen.add(key);
      try {
        const done = parseStoreJson(DoneSchema, body, `${this.runStore.where}${key}`);
        this.exits.set(runner, { runner, code: done.exitCode, signal: null, at: Date.parse(done.endedAt) });
      } catch (e) {
        this.o.log(`fleet: ${(e as Error).message.split('\n')[0]}; runner ${runner} counts as lost at the deadline`);
      }
    }
  }

  /** A fresh promise per tick, resolved by a Ctrl-C during that tick. */
  wake(): Promise<void> {
    return new Promise((r) => (this.wakeUp = r));
  }

  finished(): boolean {
    return this.over;
  }

  runners(): string[] {
    return [...this.claimed];
  }

  alive(): number {
    return this.claimed.size - this.exits.size;
  }

  waiting(): string {
    return `segments claimed ${this.claimed.size}/${this.o.runners}`;
  }

  stop(): void {
    if (this.stoppedAt !== undefined) return;
    this.stoppedAt = Date.now();
    this.wakeUp();
    // Ask first (agents stop k6 and upload what it measured), then scale to 0 at once: the
    // load stops even if a runner never reads the request.
    const stop: RunStop = {
      schema: STOP_SCHEMA,
      reason: 'interrupted (Ctrl-C) on the controller',
      at: new Date().toISOString(),
    };
    void this.runStore
      .put(KEYS.stop, JSON.stringify(stop) + '\n')
      .catch((e) =>
        this.o.log(`fleet: could not write ${KEYS.stop} (${(e as Error).message}); scaling to 0 all the same`),
      );
    void this.scaleDown();
  }

  async close(): Promise<void> {
    await this.scaleDown();
    // A fleet that did not scale down keeps its dead-man's switch: it is the fallback.
    if (!this.run || this.closed || !this.downConfirmed) return;
    this.closed = true;
    for (const g of this.o.groups) {
      await disarmSwitches(g, this.o.autoScaling, this.run.plan.id).catch((e) =>
        this.o.log(
          `fleet: could not remove the scheduled action ${g.asgName}/rehearse-stop-${this.run!.plan.id} (${(e as Error).message}); the next run removes it, or: ` +
            `aws autoscaling delete-scheduled-action --region ${g.region} --auto-scaling-group-name ${g.asgName} --scheduled-action-name rehearse-stop-${this.run!.plan.id}`,
        ),
      );
    }
  }

  /** Every group back to 0, once; a failure is said loudly with the commands to run by hand. */
  private scaleDown(): Promise<void> {
    if (!this.scaled) return Promise.resolve();
    this.down ??= (async () => {
      const failed: string[] = [];
      for (const g of this.o.groups) {
        await setDesired(g, 0, this.o.autoScaling).catch((e) =>
          failed.push(`${g.asgName} in ${g.region}: ${(e as Error).message}`),
        );
      }
      if (failed.length) {
        this.o.log(scaleDownByHand(this.o.groups, failed.join('; ')));
        this.down = undefined; // close() tries again
      } else {
        this.downConfirmed = true;
        this.o.log(`fleet: runner groups scaled back to 0 (${this.o.groups.map((g) => g.asgName).join(', ')})`);
      }
    })();
    return this.down;
  }

  onProcessExit(): void {
    // Exiting at once (a second Ctrl-C): no time for the API; say what to do instead.
    if (this.scaled && !this.downConfirmed)
      process.stderr.write(`\n${scaleDownByHand(this.o.groups, 'the controller quit before it could')}\n`);
  }

  async unclaimed(): Promise<string> {
    return (
      `; ${this.claimed.size} of ${this.o.runners} segments were claimed before the start: a runner did not boot within the boot budget ` +
      `(${Math.round(this.bootMs / 1000)} s, --fleet-boot-s), the region had no spot capacity, or its bootstrap failed (/var/log/rehearse-runner.log on the instance)`
    );
  }

  async lastWords(): Promise<string> {
    return '';
  }
}
