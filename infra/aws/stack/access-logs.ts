// The request trail's bucket: the ALB's access logs (alb/) and the backup bucket's S3 server
// access logs (s3/), kept ACCESS_LOG_RETENTION_DAYS. SSE-S3, because neither service can write to
// a bucket whose default encryption is a customer KMS key.
import { Construct } from 'constructs';
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account/index.js';
import type { Statement } from './policy.ts';
import { SecureBucket } from './secure-bucket.ts';

/** Access logs (nginx here, the ALB's in S3) are kept a week: enough to investigate a rehearsal. */
export const ACCESS_LOG_RETENTION_DAYS = 7;

export const ALB_LOG_PREFIX = 'alb';
export const S3_LOG_PREFIX = 's3/';

export interface AccessLogsProps {
  name: string;
  partition: string;
  accountId: string;
}

export class AccessLogs extends Construct {
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: AccessLogsProps) {
    super(scope, id);
    // Regions from before August 2022 deliver as the regional ELB account; newer ones as the service.
    const elb = new DataAwsElbServiceAccount(this, 'elb');
    this.bucket = new SecureBucket(this, 'logs', {
      bucketPrefix: `${props.name}-logs-`,
      kmsKeyArn: 's3-managed',
      // Logs are never overwritten; versioning only guards against deletes (noncurrent versions expire in 30 days).
      versioned: true,
      expireDays: ACCESS_LOG_RETENTION_DAYS,
      extraStatements: (arn): Statement[] => [
        {
          Sid: 'AlbAccessLogs',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { AWS: elb.arn },
          Resource: `${arn}/${ALB_LOG_PREFIX}/AWSLogs/${props.accountId}/*`,
        },
        {
          Sid: 'AlbAccessLogsByService',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Resource: `${arn}/${ALB_LOG_PREFIX}/AWSLogs/${props.accountId}/*`,
        },
        {
          Sid: 'S3ServerAccessLogs',
          Effect: 'Allow',
          Action: 's3:PutObject',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Resource: `${arn}/${S3_LOG_PREFIX}*`,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ],
    });
  }
}
