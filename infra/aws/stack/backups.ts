// Backups: AWS Backup takes Aurora and EFS recovery points on a schedule into a KMS-encrypted
// vault; the S3 bucket takes file-level copies of uploads (instances sync to it nightly).
import { Construct } from 'constructs';
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan/index.js';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection/index.js';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import type { StackConfig } from '../config/stack-config.ts';
import { assumedBy } from './policy.ts';
import { SecureBucket } from './secure-bucket.ts';

export interface BackupsProps {
  name: string;
  config: StackConfig['backups'];
  kmsKeyArn: string;
  partition: string;
  /** ARNs AWS Backup protects: the Aurora cluster and the EFS file system. */
  resourceArns: string[];
  tags: Record<string, string>;
  /** Where the backup bucket's S3 server access logs go. */
  accessLogs?: { bucket: string; prefix: string };
}

export class Backups extends Construct {
  readonly bucket: SecureBucket;
  readonly plan: BackupPlan;
  readonly selection: BackupSelection;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'files', {
      bucketPrefix: `${props.name}-backup-`,
      kmsKeyArn: props.kmsKeyArn,
      versioned: true,
      transitions: [
        { days: props.config.toInfrequentAccessDays, storageClass: 'STANDARD_IA' },
        { days: props.config.toGlacierDays, storageClass: 'GLACIER_IR' },
      ],
      expireDays: props.config.expireDays,
      forceDestroy: !props.config.keep,
      accessLogs: props.accessLogs,
    });

    const vault = new BackupVault(this, 'vault', {
      name: `${props.name}-vault`,
      kmsKeyArn: props.kmsKeyArn,
      // Ephemeral (default): the vault and its recovery points go with the stack. With backups.keep
      // the vault is not force-destroyed: a destroy fails on it until you delete or copy its points.
      forceDestroy: !props.config.keep,
    });
    this.plan = new BackupPlan(this, 'plan', {
      name: `${props.name}-daily`,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: vault.name,
          schedule: props.config.schedule,
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: props.config.retentionDays },
          // default_tags do not reach recovery points: tag them so the reaper finds them too.
          recoveryPointTags: props.tags,
        },
      ],
    });
    const role = new IamRole(this, 'role', { assumeRolePolicy: assumedBy('backup.amazonaws.com') });
    for (const policy of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
      new IamRolePolicyAttachment(this, `role-${policy}`, {
        role: role.name,
        policyArn: `arn:${props.partition}:iam::aws:policy/service-role/${policy}`,
      });
    }
    this.selection = new BackupSelection(this, 'selection', {
      name: `${props.name}-aurora-efs`,
      planId: this.plan.id,
      iamRoleArn: role.arn,
      resources: props.resourceArns,
    });
  }
}
