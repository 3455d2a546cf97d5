// App Auto Scaling groups in moto's server, shaped like a deployed stack's, and how one stands now:
// what the tests of the group pin (infra/aws/lifecycle/pin-app-group.ts) and of the capacity search
// on AWS (pipeline/capacity) create and read back.
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DescribeAutoScalingGroupsCommand,
  SuspendProcessesCommand,
} from '@aws-sdk/client-auto-scaling';

export interface GroupState {
  /** [min, max, desired] */
  sizes: Array<number | undefined>;
  inService: number;
  /** Suspended process names, sorted. */
  suspended: string[];
}

export interface MotoAppGroups {
  client: AutoScalingClient;
  /** A fresh group named `<prefix>-<n>-app` in one zone, with `suspended` suspended by its owner. */
  create(o: { prefix: string; min: number; max: number; desired: number; suspended?: string[] }): Promise<string>;
  state(name: string): Promise<GroupState>;
}

/** One launch configuration for every group; call once per test file, after startMoto(). */
export async function motoAppGroups(endpoint: string, region = 'us-east-1'): Promise<MotoAppGroups> {
  const client = new AutoScalingClient({ region, endpoint });
  await client.send(
    new CreateLaunchConfigurationCommand({
      LaunchConfigurationName: 'lc',
      ImageId: 'ami-12c6146b',
      InstanceType: 't3.small',
    }),
  );
  let groups = 0;
  return {
    client,
    async create({ prefix, min, max, desired, suspended = [] }) {
      const name = `${prefix}-${++groups}-app`;
      await client.send(
        new CreateAutoScalingGroupCommand({
          AutoScalingGroupName: name,
          LaunchConfigurationName: 'lc',
          MinSize: min,
          MaxSize: max,
          DesiredCapacity: desired,
          AvailabilityZones: [`${region}a`],
        }),
      );
      if (suspended.length)
        await client.send(new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: suspended }));
      return name;
    },
    async state(name) {
      const g = (await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })))
        .AutoScalingGroups![0]!;
      return {
        sizes: [g.MinSize, g.MaxSize, g.DesiredCapacity],
        inService: (g.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length,
        suspended: (g.SuspendedProcesses ?? []).map((p) => p.ProcessName!).sort(),
      };
    },
  };
}
