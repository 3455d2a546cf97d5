// What a k6 runner may do in the plans-and-results bucket: read objects under its rehearsal's
// prefix (runs/<rehearsal id>/…), create segment claims there (never overwrite one), write its own
// results, and list only that prefix. Never another runner's results, the agent bundle, run
// pointer, plan, manifest or stop request; no delete, no other prefix, no other bucket. Pure, so
// tests read it back.
//
// "Its own": the runners of a group share one role, so the policy names the caller with an IAM
// policy variable. For a role an EC2 instance gets from its instance profile, ${aws:userid} is
// "<role id>:<instance id>" (IAM User Guide, "IAM policy elements: Variables and tags",
// principal key values); IAM has no variable holding the bare instance id, and
// ${ec2:SourceInstanceARN} carries "/" and the region. So a fleet runner names itself exactly
// that (infra/aws/fleet/runner-user-data.ts reads the instance id from IMDSv2) and writes under
// runners/<role id>:<instance id>/ (runners/distributed/run-manifest.ts KEYS).
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

/** The caller, as IAM substitutes it per request: "<role id>:<instance id>" on a runner. */
export const RUNNER_IDENTITY = '${aws:userid}';
const RUNNER_WRITE_ACTIONS = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
/** Keys under runs/<id>/ a runner writes: its own results in any run (plan id) there. */
export const OWN_RESULTS = `*/runners/${RUNNER_IDENTITY}/*`;
/** Keys under runs/<id>/ a runner may create, never replace: segment claims. */
export const CLAIMS = '*/claims/*';
/** Keys under runs/<id>/ only the controller writes. */
export const CONTROLLER_ONLY = ['agent/*', 'current-run.json', '*/plan.json', '*/manifest.json', '*/stop.json'];
/**
 * IAM's "*" spans "/": "<plan>/runners/<other>/runners/<me>/x" matches OWN_RESULTS and
 * "<plan>/runners/<other>/claims/x" matches CLAIMS, both under another runner's results. No
 * key a runner writes has "runners/" or "claims/" below a runner's prefix, so these are denied.
 */
export const UNDER_ANOTHER_RUNNER = ['*/runners/*/runners/*', '*/runners/*/claims/*'];

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
      // Chunks, k6.log and done.json (runners/distributed/run-manifest.ts KEYS). Multipart
      // actions: result chunks may be large.
      Sid: 'WriteOwnResults',
      Effect: 'Allow',
      Action: RUNNER_WRITE_ACTIONS,
      Resource: `${run}/${OWN_RESULTS}`,
    },
    {
      // First writer wins: S3 refuses a PutObject with If-None-Match: * on an existing key, and
      // this condition refuses one without the header, so no runner replaces another's claim.
      Sid: 'CreateClaimsOnly',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: `${run}/${CLAIMS}`,
      Condition: { Null: { 's3:if-none-match': 'false' } },
    },
    {
      // What other runners execute or obey is the controller's alone: the agent bundle, the run
      // pointer (which carries the bundle's SHA-256), plans, manifests and stop requests.
      Sid: 'NeverWriteWhatRunnersExecute',
      Effect: 'Deny',
      Action: RUNNER_WRITE_ACTIONS,
      Resource: CONTROLLER_ONLY.map((p) => `${run}/${p}`),
    },
    {
      Sid: 'NeverWriteUnderAnotherRunner',
      Effect: 'Deny',
      Action: RUNNER_WRITE_ACTIONS,
      Resource: UNDER_ANOTHER_RUNNER.map((p) => `${run}/${p}`),
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
