// Where a rehearsal's synth output and local Terraform state live: one fixed place per checkout
// (or REHEARSE_AWS_STATE_DIR), never relative to the directory Rehearse happens to be started in,
// so `stack down` from another directory still finds what `stack up` created.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function defaultStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.REHEARSE_AWS_STATE_DIR || path.join(REPO_ROOT, '.state', 'aws'));
}

export function rehearsalStateDir(rehearsalId: string, stateRoot?: string): string {
  return path.join(stateRoot ? path.resolve(stateRoot) : defaultStateRoot(), rehearsalId);
}
