// Where Terraform keeps each stack's state: a local file beside the stack's JSON (default), or an
// S3 bucket with S3-native locking (use_lockfile, no DynamoDB table) for teams that share state.
import { z } from 'zod';
import { accountIdSchema, regionSchema } from './common.ts';

export const stateBackendSchema = z.discriminatedUnion(
  'backend',
  [
    z.strictObject({ backend: z.literal('local') }),
    z.strictObject({
      backend: z.literal('s3'),
      /** An existing, versioned bucket you own; Rehearse does not create it. */
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'state.bucket must be an S3 bucket name' }),
      region: regionSchema,
      /** Keys are <keyPrefix>/<rehearsal id>/<stack>.tfstate. */
      keyPrefix: z
        .string()
        .regex(/^[A-Za-z0-9._/-]+$/)
        .default('rehearse'),
      /** The account the state bucket lives in, when not the stack's own. */
      accountId: accountIdSchema.optional(),
    }),
  ],
  { message: 'state.backend must be "local" or "s3"' },
);

export type StateBackend = z.output<typeof stateBackendSchema>;

export function stateKey(
  backend: Extract<StateBackend, { backend: 's3' }>,
  rehearsalId: string,
  stackName: string,
): string {
  return `${backend.keyPrefix.replace(/\/+$/, '')}/${rehearsalId}/${stackName}.tfstate`;
}
