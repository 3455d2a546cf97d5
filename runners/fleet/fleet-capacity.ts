// How many runners each region's group runs, and the commands to set that by hand. Pure.
import { InputError } from '../../errors/errors.ts';

export interface FleetGroup {
  region: string;
  /** The runner Auto Scaling group (the fleet stack's runner_asg_name output). */
  asgName: string;
}

/**
 * N runners over groups, as evenly as possible (the first groups take the remainder), never more
 * than a group's max. Null when the groups cannot hold N.
 */
export function splitRunners(n: number, maxes: number[]): number[] | null {
  if (n > maxes.reduce((a, b) => a + b, 0)) return null;
  const counts = maxes.map(() => 0);
  let left = n;
  while (left > 0) {
    for (let i = 0; i < maxes.length && left > 0; i++) {
      if (counts[i]! < maxes[i]!) {
        counts[i]!++;
        left--;
      }
    }
  }
  return counts;
}

/** --runners above what the fleet can run: which field to raise, and where. */
export function tooFewRunners(n: number, groups: Array<FleetGroup & { max: number }>, configPath: string): InputError {
  const cap = groups.reduce((a, g) => a + g.max, 0);
  const shape = groups.map((g) => `${g.region} ${g.max}`).join(', ');
  return new InputError(
    `--runners ${n}, but the runner fleet holds ${cap} (${shape}: at most fleet.runnersPerRegion per region): ` +
      `raise "fleet.runnersPerRegion" (or add "fleet.regions") in ${configPath} and run \`rehearse stack up --target aws --aws-config ${configPath}\`, or lower --runners`,
  );
}

export function setCapacityCommand(g: FleetGroup, desired: number): string {
  return `aws autoscaling set-desired-capacity --region ${g.region} --auto-scaling-group-name ${g.asgName} --desired-capacity ${desired}`;
}

/** Said loudly when the fleet could not be scaled back to 0: runners keep running and costing. */
export function scaleDownByHand(groups: FleetGroup[], why: string): string {
  return [
    `!!! the runner fleet could not be scaled back to 0 (${why}).`,
    '!!! Its runners keep running, and costing, until you do it by hand:',
    ...groups.map((g) => `!!!   ${setCapacityCommand(g, 0)}`),
  ].join('\n');
}
