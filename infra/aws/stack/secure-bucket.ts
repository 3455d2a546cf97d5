// An S3 bucket as every Rehearse bucket must be: encrypted by default (KMS; SSE-S3 only where AWS
// allows nothing else, the ALB's access logs), public access blocked, owner-enforced (no ACLs),
// TLS-only, lifecycle-expired, and emptied on destroy unless told to keep (a rehearsal's buckets
// go away with it; keep a run by copying it out first).
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { policyDocument, tlsOnlyBucketStatement, type Statement } from './policy.ts';

export interface SecureBucketProps {
  /** Exact name (when other stacks must compute it) or a prefix Terraform completes. */
  bucket?: string;
  bucketPrefix?: string;
  /** The KMS key for default encryption; 's3-managed' where a service can only write SSE-S3 objects. */
  kmsKeyArn: string | 's3-managed';
  versioned: boolean;
  /** Empty and delete the bucket with the stack (default true). */
  forceDestroy?: boolean;
  /** S3 server access logs to this bucket and prefix. */
  accessLogs?: { bucket: string; prefix: string };
  /** Storage-class steps and expiry for current objects; noncurrent versions expire after 30 days. */
  transitions?: Array<{ days: number; storageClass: string }>;
  expireDays: number;
  extraStatements?: (bucketArn: string) => Statement[];
}

export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucket,
      bucketPrefix: props.bucketPrefix,
      forceDestroy: props.forceDestroy ?? true,
    });
    const bucket = this.bucket.id;
    new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        props.kmsKeyArn === 's3-managed'
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn },
              // One data key per bucket instead of per object: far fewer KMS calls under load.
              bucketKeyEnabled: true,
            },
      ],
    });
    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'logging', {
        bucket,
        targetBucket: props.accessLogs.bucket,
        targetPrefix: props.accessLogs.prefix,
      });
    }
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: props.versioned ? 'Enabled' : 'Suspended' },
    });
    const rule: S3BucketLifecycleConfigurationRule = {
      id: 'tiering-and-expiry',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      transition: (props.transitions ?? []).map((t) => ({ days: t.days, storageClass: t.storageClass })),
      expiration: [{ days: props.expireDays }],
      noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
    };
    new S3BucketLifecycleConfiguration(this, 'lifecycle', { bucket, rule: [rule], dependsOn: [versioning] });
    new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: policyDocument([
        tlsOnlyBucketStatement(this.bucket.arn),
        ...(props.extraStatements?.(this.bucket.arn) ?? []),
      ]),
    });
  }
}
