// Each stack's Terraform backend: a local file beside the stack's JSON (terraform runs with
// -chdir=<stack dir>, so the state never lands in whatever directory Rehearse was started from),
// or the configured S3 bucket with S3-native locking, pinned to the state bucket's account.
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { stateKey, type StateBackend } from '../config/state-backend.ts';

export function addBackend(
  stack: TerraformStack,
  state: StateBackend | undefined,
  rehearsalId: string,
  stackName: string,
  accountId: string,
): void {
  if (!state || state.backend === 'local') {
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: stateKey(state, rehearsalId, stackName),
    region: state.region,
    encrypt: true,
    allowedAccountIds: [state.accountId ?? accountId],
  });
  // Terraform ≥ 1.10 locks with a .tflock object beside the state (no DynamoDB table); cdktf 0.21 has no field for it yet.
  backend.addOverride('use_lockfile', true);
}
