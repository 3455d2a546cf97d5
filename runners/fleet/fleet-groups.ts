// The runner groups through the Auto Scaling API: their sizes, their desired capacity, and a
// dead-man's switch (a scheduled action that scales a group to 0 at a set time), so a controller
// that dies mid-run (kill -9, a closed laptop) does not leave the fleet running.
import {
  AutoScalingClient,
  DeleteScheduledActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeScheduledActionsCommand,
  PutScheduledUpdateGroupActionCommand,
  SetDesiredCapacityCommand,
} from '@aws-sdk/client-auto-scaling';
import { InputError } from '../../errors/errors.ts';
import type { FleetGroup } from './fleet-capacity.ts';

export interface GroupState extends FleetGroup {
  max: number;
  desired: number;
}

export type AutoScalingFor = (region: string) => Pick<AutoScalingClient, 'send'>;

/** Scheduled actions this controller creates are named so; an earlier run's are removed before a new one. */
export const SWITCH_PREFIX = 'rehearse-stop-';

export async function describeGroups(
  groups: FleetGroup[],
  client: AutoScalingFor,
  configPath: string,
): Promise<GroupState[]> {
  return Promise.all(
    groups.map(async (g) => {
      const r = await client(g.region).send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [g.asgName] }),
      );
      const found = r.AutoScalingGroups?.[0];
      if (!found)
        throw new InputError(
          `runner group ${g.asgName} is not in ${g.region}: the fleet stack is not deployed there (or was destroyed); run \`rehearse stack up --target aws --aws-config ${configPath}\``,
        );
      return { ...g, max: found.MaxSize ?? 0, desired: found.DesiredCapacity ?? 0 };
    }),
  );
}

export async function setDesired(g: FleetGroup, desired: number, client: AutoScalingFor): Promise<void> {
  // HonorCooldown false: a run's start and end must not wait for a cooldown.
  await client(g.region).send(
    new SetDesiredCapacityCommand({ AutoScalingGroupName: g.asgName, DesiredCapacity: desired, HonorCooldown: false }),
  );
}

export async function armSwitch(g: FleetGroup, name: string, at: Date, client: AutoScalingFor): Promise<void> {
  await client(g.region).send(
    new PutScheduledUpdateGroupActionCommand({
      AutoScalingGroupName: g.asgName,
      ScheduledActionName: `${SWITCH_PREFIX}${name}`,
      StartTime: at,
      DesiredCapacity: 0,
    }),
  );
}

/** Removes this controller's switches (all of them, or the one named): a stale one would scale a later run's fleet to 0 mid-run. */
export async function disarmSwitches(g: FleetGroup, client: AutoScalingFor, name?: string): Promise<string[]> {
  const r = await client(g.region).send(new DescribeScheduledActionsCommand({ AutoScalingGroupName: g.asgName }));
  const ours = (r.ScheduledUpdateGroupActions ?? [])
    .map((a) => a.ScheduledActionName ?? '')
    .filter((n) => (name === undefined ? n.startsWith(SWITCH_PREFIX) : n === `${SWITCH_PREFIX}${name}`));
  for (const n of ours)
    await client(g.region).send(
      new DeleteScheduledActionCommand({ AutoScalingGroupName: g.asgName, ScheduledActionName: n }),
    );
  return ours;
}
