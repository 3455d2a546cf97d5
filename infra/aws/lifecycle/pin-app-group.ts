// Holds the store's app Auto Scaling group at a fixed instance count for a capacity search:
// min = max = desired = n with the processes that would move it suspended (app-group-pin.ts says
// which), waits until n instances are InService and the balancer counts n healthy targets, and
// puts the group back as it was: once, whatever ended the search (success, a failure, Ctrl-C).
import { setTimeout as delay } from 'node:timers/promises';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  ResumeProcessesCommand,
  SuspendProcessesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { InterruptedError, RunError } from '../../../errors/errors.ts';
import {
  groupProgress,
  handRestoreCommands,
  looksPinned,
  pinnedSizes,
  processesToHold,
  restoredSizes,
  snapshotOf,
  type GroupLike,
  type GroupSnapshot,
} from './app-group-pin.ts';
import type { StoreAppGroup } from './store-outputs.ts';
import { cloudWatchHealthProbe, UnhealthyStackError, waitForHealthyTargets, type HealthProbe } from './wait-healthy.ts';

export class PinTimeoutError extends RunError {}
export class RestoreFailedError extends RunError {}

export interface AppGroupHoldOptions {
  autoScaling: Pick<AutoScalingClient, 'send'>;
  asgName: string;
  /** For the hand-restore commands. */
  region: string;
  /** Healthy targets behind the balancer (wait-healthy.ts; CloudWatch by default in the caller). */
  targetHealth: HealthProbe;
  /** Per pin: from the update until n are InService and healthy (default 15 min: bootstrap installs at boot). */
  timeoutMs?: number;
  intervalMs?: number;
  log: (line: string) => void;
  /** Stops a wait; restore itself never listens to it (a Ctrl-C must not leave the group pinned). */
  signal?: AbortSignal;
  now?: () => number;
}

export interface AppGroupHold {
  /** Set min = max = desired = n and wait until n serve. The first call records the group as it was. */
  pinTo(n: number): Promise<void>;
  /** Put back the recorded sizes and resume what the hold suspended. Runs once; later calls share it. */
  restore(): Promise<void>;
  /** The group as it was (after the first pinTo). */
  readonly original: GroupSnapshot | undefined;
}

export function holdAppGroup(o: AppGroupHoldOptions): AppGroupHold {
  const now = o.now ?? Date.now;
  const interval = o.intervalMs ?? 15_000;
  let original: GroupSnapshot | undefined;
  /** Whether anything was changed: a hold that never changed the group has nothing to restore. */
  let touched = false;
  let restoring: Promise<void> | undefined;
  const log = (line: string) => o.log(`app group ${o.asgName}: ${line}`);

  const describe = async (): Promise<GroupLike> => {
    const res = await o.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [o.asgName] }));
    const group = res.AutoScalingGroups?.[0];
    if (!group)
      throw new RunError(
        `Auto Scaling group ${o.asgName} not found in ${o.region}: is the store stack deployed? ` +
          '`rehearse stack status --target aws` says; `rehearse stack up --target aws` deploys it',
      );
    return group;
  };

  // Ends early on abort, and leaves no listener on the signal behind (a wait polls many times).
  const sleep = () => delay(interval, undefined, { signal: o.signal }).catch(() => {});

  async function waitForGroup(n: number, deadline: number, started: number): Promise<void> {
    let last = '';
    let lastLogAt = 0;
    for (;;) {
      if (o.signal?.aborted) throw new InterruptedError(`interrupted while the app group moved to ${n} instance(s)`);
      const p = groupProgress(await describe(), n);
      if (p.movedBy) throw new RunError(`app group ${o.asgName} pinned at ${n}: ${p.movedBy}; run the search again`);
      if (p.line !== last || now() - lastLogAt >= 60_000) {
        log(`${p.line} after ${Math.round((now() - started) / 1000)} s`);
        last = p.line;
        lastLogAt = now();
      }
      if (p.arrived) return;
      if (now() >= deadline)
        throw new PinTimeoutError(
          `app group ${o.asgName} did not reach ${n} InService instance(s) within ${Math.round((deadline - started) / 60_000)} min (${p.line}). ` +
            `Its recent activities say why (a launch failure, an instance quota, no capacity of the type in the zone): ` +
            `aws autoscaling describe-scaling-activities --region ${o.region} --auto-scaling-group-name ${o.asgName} --max-items 5`,
        );
      await sleep();
    }
  }

  async function restoreOnce(): Promise<void> {
    if (!touched || !original) return;
    const s = original;
    const by = handRestoreCommands(s);
    const resume = processesToHold(s);
    log(
      `restoring min ${s.min}, max ${s.max}, desired ${s.desired}` +
        (resume.length ? ` and resuming ${resume.join(', ')}` : '') +
        (s.suspended.length ? ` (${s.suspended.join(', ')} stay suspended: they were before)` : ''),
    );
    const failed: string[] = [];
    // Sizes first: resumed alarms would otherwise act on the pinned sizes.
    await o.autoScaling.send(new UpdateAutoScalingGroupCommand(restoredSizes(s))).catch((e: Error) => {
      failed.push(`setting min/max/desired back failed: ${e.message}`);
    });
    // Never an empty list: ResumeProcesses without one resumes every process, someone else's too.
    if (resume.length)
      await o.autoScaling
        .send(new ResumeProcessesCommand({ AutoScalingGroupName: s.name, ScalingProcesses: resume }))
        .catch((e: Error) => {
          failed.push(`resuming ${resume.join(', ')} failed: ${e.message}`);
        });
    if (failed.length) {
      const text =
        `!!! THE APP GROUP ${s.name} IS STILL PINNED: ${failed.join('; ')}.\n` +
        `!!! It will not scale for real traffic until restored. Restore it by hand:\n` +
        by.map((c) => `    ${c}`).join('\n');
      o.log(text);
      throw new RestoreFailedError(text);
    }
    log('restored');
  }

  return {
    get original() {
      return original;
    },
    async pinTo(n: number): Promise<void> {
      if (restoring) throw new Error('this hold was restored: make a new one to pin again');
      const started = now();
      if (!original) {
        original = snapshotOf(await describe(), o.region);
        const hold = processesToHold(original);
        log(
          `was min ${original.min}, max ${original.max}, desired ${original.desired}` +
            `${original.suspended.length ? `, ${original.suspended.join(', ')} suspended` : ''}; ` +
            `restored at the end. Should this process die first, restore it by hand:\n` +
            handRestoreCommands(original)
              .map((c) => `    ${c}`)
              .join('\n'),
        );
        if (looksPinned(original))
          log(
            `looks pinned already (min = max, ${original.suspended.join(', ')} suspended): a search that was killed? ` +
              "It is restored to this at the end; set the config's min/max/desired by hand if it should scale",
          );
        touched = true;
        // Never an empty list: SuspendProcesses without one suspends every process, Launch too.
        if (hold.length) {
          await o.autoScaling.send(
            new SuspendProcessesCommand({ AutoScalingGroupName: original.name, ScalingProcesses: hold }),
          );
          log(`suspended ${hold.join(', ')}: autoscaling held`);
        }
      }
      touched = true;
      await o.autoScaling.send(new UpdateAutoScalingGroupCommand(pinnedSizes(original.name, n)));
      log(`min = max = desired = ${n}; waiting for ${n} InService and healthy behind the balancer`);
      const deadline = started + (o.timeoutMs ?? 15 * 60_000);
      await waitForGroup(n, deadline, started);
      try {
        await waitForHealthyTargets({
          probe: o.targetHealth,
          want: n,
          timeoutMs: Math.max(0, deadline - now()),
          intervalMs: interval,
          log,
          signal: o.signal,
          now,
        });
      } catch (e) {
        if (o.signal?.aborted) throw new InterruptedError(`interrupted while waiting for ${n} healthy target(s)`);
        if (e instanceof UnhealthyStackError) throw new PinTimeoutError(`pinned at ${n}: ${e.message}`);
        throw e;
      }
      log(`${n} instance(s) serving after ${Math.round((now() - started) / 1000)} s`);
    },
    restore(): Promise<void> {
      restoring ??= restoreOnce();
      return restoring;
    },
  };
}

/** A hold on the deployed store's app group: the SDK clients for its region unless given. */
export function appGroupHold(
  store: StoreAppGroup,
  o: Omit<AppGroupHoldOptions, 'asgName' | 'region' | 'autoScaling' | 'targetHealth'> &
    Partial<Pick<AppGroupHoldOptions, 'autoScaling' | 'targetHealth'>>,
): AppGroupHold {
  return holdAppGroup({
    ...o,
    asgName: store.asgName,
    region: store.region,
    autoScaling: o.autoScaling ?? new AutoScalingClient({ region: store.region }),
    targetHealth: o.targetHealth ?? cloudWatchHealthProbe(store.region, store.albArnSuffix, store.targetGroupArnSuffix),
  });
}
