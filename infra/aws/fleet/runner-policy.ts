// What a k6 runner may do in the plans-and-results bucket: read and write objects under its
// run's prefix (runs/<rehearsal id>/…: the plan, segment claims, result chunks) and list only
// that prefix. No delete, no other prefix, no other bucket. Pure, so tests read it back.
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

export function runnerPolicyStatements(i: RunnerPolicyInput): Statement[] {
  const bucketArn = `arn:${i.partition}:s3:::${i.bucketName}`;
  const prefix = runPrefix(i.rehearsalId);
  return [
    {
      Sid: 'ReadWriteOwnRun',
      Effect: 'Allow',
      // Multipart actions: result chunks may be large. Conditional writes (segment claims) are PutObject.
      Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: `${bucketArn}/${prefix}/*`,
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
