// EFS for wp-content/uploads only. PHP code stays on each instance's local disk: serving PHP
// files from EFS is the known performance trap of WordPress on AWS (stat() per include over NFS).
// Elastic throughput: no burst credits to run out in the middle of a sale.
import { Construct } from 'constructs';
import { EfsFileSystem } from '@cdktf/provider-aws/lib/efs-file-system/index.js';
import { EfsFileSystemPolicy } from '@cdktf/provider-aws/lib/efs-file-system-policy/index.js';
import { EfsMountTarget } from '@cdktf/provider-aws/lib/efs-mount-target/index.js';
import { policyDocument } from './policy.ts';

export interface SharedFilesProps {
  name: string;
  subnetIds: string[];
  securityGroupId: string;
  kmsKeyArn: string;
}

export class SharedFiles extends Construct {
  readonly fileSystem: EfsFileSystem;
  readonly mountTargets: EfsMountTarget[];

  constructor(scope: Construct, id: string, props: SharedFilesProps) {
    super(scope, id);
    this.fileSystem = new EfsFileSystem(this, 'fs', {
      creationToken: props.name,
      encrypted: true,
      kmsKeyId: props.kmsKeyArn,
      performanceMode: 'generalPurpose',
      throughputMode: 'elastic',
      lifecyclePolicy: [{ transitionToIa: 'AFTER_30_DAYS' }],
      tags: { Name: `${props.name}-uploads` },
    });
    // A file system policy replaces EFS's default one, so it restates the default allow (mounts
    // through the VPC's mount targets) and adds: clients must use TLS (mount -t efs -o tls).
    new EfsFileSystemPolicy(this, 'policy', {
      fileSystemId: this.fileSystem.id,
      policy: policyDocument([
        {
          Sid: 'AllowMountViaMountTargets',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: [
            'elasticfilesystem:ClientMount',
            'elasticfilesystem:ClientWrite',
            'elasticfilesystem:ClientRootAccess',
          ],
          Resource: this.fileSystem.arn,
          Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
        },
        {
          Sid: 'DenyUnencryptedTransport',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: this.fileSystem.arn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]),
    });
    this.mountTargets = props.subnetIds.map(
      (subnetId, i) =>
        new EfsMountTarget(this, `mount-${i}`, {
          fileSystemId: this.fileSystem.id,
          subnetId,
          securityGroups: [props.securityGroupId],
        }),
    );
  }
}
