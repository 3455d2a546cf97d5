// The stacks of a rehearsal already synthesized on disk, and whether their state holds anything:
// for `down`, `status` and reading outputs without synthesizing again.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackOrder, type RehearsalInfra } from '../app.ts';
import type { SynthesizedStack } from './synth.ts';

export function existingStacks(dir: string, infra: RehearsalInfra): SynthesizedStack[] {
  return stackOrder(infra)
    .map((name) => ({ name, dir: join(dir, 'stacks', name), file: join(dir, 'stacks', name, 'cdk.tf.json') }))
    .filter((s) => existsSync(s.file));
}

/**
 * Whether a stack's state holds resources, from the local state file. With a remote backend (S3)
 * nothing local tells: assume it may (`terraform destroy` of an empty state is harmless).
 */
export function stateHasResources(stackDir: string): boolean {
  if (remoteBackend(stackDir)) return true;
  const state = join(stackDir, 'terraform.tfstate');
  if (!existsSync(state)) return false;
  try {
    return (JSON.parse(readFileSync(state, 'utf8')).resources ?? []).length > 0;
  } catch {
    return true; // unreadable state: assume something may be deployed
  }
}

function remoteBackend(stackDir: string): boolean {
  try {
    const backend = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).terraform?.backend ?? {};
    return Object.keys(backend).some((kind) => kind !== 'local');
  } catch {
    return false;
  }
}

/** Where to find a deployed rehearsal's stacks, for readers of their outputs (store, fleet). */
export interface ReadDeployedOptions {
  configPath: string;
  /** Where synth output and Terraform state live (default: lifecycle/state-root.ts, as for the target). */
  stateRoot?: string;
  log: (line: string) => void;
}
