// The terraform/tofu command lines for a synthesized rehearsal: init + apply per stack in order
// to bring it up, init + destroy in reverse to take it down. Running them is the CLI's job.
import type { SynthesizedStack } from './synth.ts';

export interface TerraformCommand {
  /** The terraform or tofu binary (a path from preflight()). */
  command: string;
  args: string[];
  /** For logs: which stack and step. */
  label: string;
}

const common = ['-input=false', '-no-color'];

export function initCommand(stackDir: string): string[] {
  return [`-chdir=${stackDir}`, 'init', ...common];
}

export function applyCommand(stackDir: string): string[] {
  return [`-chdir=${stackDir}`, 'apply', '-auto-approve', ...common];
}

export function destroyCommand(stackDir: string): string[] {
  return [`-chdir=${stackDir}`, 'destroy', '-auto-approve', ...common];
}

/** `state list`: the resource addresses a stack's state holds, whatever the backend. */
export function stateListCommand(stackDir: string): string[] {
  return [`-chdir=${stackDir}`, 'state', 'list', '-no-color'];
}

/** `output -json`: what the collector and the endpoint need (see STACK_OUTPUTS). */
export function outputCommand(stackDir: string): string[] {
  return [`-chdir=${stackDir}`, 'output', '-json', '-no-color'];
}

/** Everything to run, in order, for `up` or `down` of the stacks synthesize() returned (in apply order). */
export function terraformPlan(binary: string, stacks: SynthesizedStack[], action: 'up' | 'down'): TerraformCommand[] {
  const ordered = action === 'up' ? stacks : [...stacks].reverse();
  return ordered.flatMap((s) => [
    { command: binary, args: initCommand(s.dir), label: `${s.name}: init` },
    action === 'up'
      ? { command: binary, args: applyCommand(s.dir), label: `${s.name}: apply` }
      : { command: binary, args: destroyCommand(s.dir), label: `${s.name}: destroy` },
  ]);
}
