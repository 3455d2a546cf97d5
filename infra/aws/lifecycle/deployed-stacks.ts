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

export function stateHasResources(stackDir: string): boolean {
  const state = join(stackDir, 'terraform.tfstate');
  if (!existsSync(state)) return false;
  try {
    return (JSON.parse(readFileSync(state, 'utf8')).resources ?? []).length > 0;
  } catch {
    return true; // unreadable state: assume something may be deployed
  }
}
