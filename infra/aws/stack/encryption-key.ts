// One customer-managed KMS key per stack (and region) for every data store, log group and topic,
// so encryption is under the account's control and goes away with the rehearsal. EBS volumes keep
// the AWS-managed key: a CMK there needs grants for the Auto Scaling service-linked role, without
// which instances fail to launch.
import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { policyDocument } from './policy.ts';

export interface EncryptionKeyProps {
  rehearsalId: string;
  /** Region of the key when it differs from the provider's (the us-east-1 uptime topic). */
  region?: string;
  /** The region CloudWatch Logs runs in for this key's log groups. */
  logsRegion: string;
}

export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly accountId: string;
  readonly partition: string;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const caller = new DataAwsCallerIdentity(this, 'caller');
    const partition = new DataAwsPartition(this, 'partition');
    this.accountId = caller.accountId;
    this.partition = partition.partition;
    const root = `arn:${partition.partition}:iam::${caller.accountId}:root`;
    this.key = new KmsKey(this, 'key', {
      description: `Rehearse ${props.rehearsalId}: data stores, logs and alarms`,
      enableKeyRotation: true,
      // Short window: a rehearsal's key should not outlive it by a month.
      deletionWindowInDays: 7,
      region: props.region,
      policy: policyDocument([
        // Delegates to IAM, as the default key policy does: services use it via the caller's grants.
        { Sid: 'AccountAdmin', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
        {
          Sid: 'CloudWatchLogs',
          Effect: 'Allow',
          Principal: { Service: `logs.${props.logsRegion}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': `arn:${partition.partition}:logs:${props.logsRegion}:${caller.accountId}:*`,
            },
          },
        },
        // CloudWatch alarms publish to the encrypted SNS topic; without this their notifications vanish.
        {
          Sid: 'CloudWatchAlarmsToSns',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ]),
    });
    new KmsAlias(this, 'alias', {
      name: `alias/rehearse-${props.rehearsalId}`,
      targetKeyId: this.key.keyId,
      region: props.region,
    });
  }
}
