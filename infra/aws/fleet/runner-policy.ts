// What a k6 runner may do in the plans-and-results bucket: read objects under its rehearsal's
// prefix (runs/<rehearsal id>/…), write only segment claims and results there, never the agent
// bundle, run pointer, plan, manifest or stop request, and list only that prefix. No delete, no
// other prefix, no other bucket. Pure, so tests read it back.
import { runPrefix } from '../config/fleet-config.ts';
import type { Statement } from '../stack/policy.ts';

export interface RunnerPolicyInput {
  partition: string;
  accountId: string;
  bucketName: string;
  /** Region of the bucket and of the KMS key that encrypts it. */
  bucketRegion: string;
  rehearsalId: string;
}

const RUNNER_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
/** Keys under runs/<id>/ a runner may write: claims and results of any run (plan id) there. */
export const RUNNER_WRITABLE = ['*/claims/*', '*/runners/*'];
/** Keys under runs/<id>/ only the controller writes. */
export const CONTROLLER_ONLY = ['agent/*', 'current-run.json', '*/plan.json', '*/manifest.json', '*/stop.json'];

export function runnerPolicyStatements(i: RunnerPolicyInput): Statement[] {
  const bucketArn = `arn:${i.partition}:s3:::${i.bucketName}`;
  const prefix = runPrefix(i.rehearsalId);
  const run = `${bucketArn}/${prefix}`;
  return [
    {
      Sid: 'ReadOwnRun',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `${run}/*`,
    },
    {
      // An agent writes only its segment claim and its own results (runners/distributed/run-manifest.ts KEYS).
      // Multipart actions: result chunks may be large. Conditional writes (segment claims) are PutObject.
      Sid: 'WriteClaimsAndResults',
      Effect: 'Allow',
      Action: RUNNER_WRITE_ACTIONS,
      Resource: RUNNER_WRITABLE.map((p) => `${run}/${p}`),
    },
    {
      // What other runners execute or obey is the controller's alone: the agent bundle, the run
      // pointer, plans, manifests and stop requests (an Allow above must never reach them).
      Sid: 'NeverWriteWhatRunnersExecute',
      Effect: 'Deny',
      Action: RUNNER_WRITE_ACTIONS,
      Resource: CONTROLLER_ONLY.map((p) => `${run}/${p}`),
    },
    {
      Sid: 'ListOwnRun',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { StringLike: { 's3:prefix': [`${prefix}/*`, `${prefix}/`] } },
    },
    {
      // The bucket's KMS key lives in another stack; allow any key of the account, but only as S3
      // uses it for this bucket (bucket keys make the bucket ARN the encryption context).
      Sid: 'BucketKeyViaS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: `arn:${i.partition}:kms:${i.bucketRegion}:${i.accountId}:key/*`,
      Condition: {
        StringEquals: { 'kms:ViaService': `s3.${i.bucketRegion}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/${prefix}/*`] },
      },
    },
  ];
}

/** Same name in every region's stack without cross-stack references; the account id keeps it globally unique. */
export function runsBucketName(rehearsalId: string, accountId: string): string {
  return `rehearse-${rehearsalId}-${accountId}-runs`;
}
