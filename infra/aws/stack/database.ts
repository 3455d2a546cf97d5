// Aurora MySQL: encrypted, a writer and a reader in another AZ, backups retained, and a master
// password that RDS creates and keeps in Secrets Manager (manage_master_user_password): no
// password ever passes through config, synth output or Terraform state.
import { Construct } from 'constructs';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance/index.js';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group/index.js';
import type { StackConfig } from '../config/stack-config.ts';
import { PORTS } from './security-groups.ts';
import { assumedBy } from './policy.ts';

export interface DatabaseProps {
  name: string;
  config: StackConfig['database'];
  subnetIds: string[];
  azNames: string[];
  securityGroupId: string;
  kmsKeyArn: string;
  partition: string;
  /** Take a final snapshot on destroy. */
  keepBackups: boolean;
}

export class Database extends Construct {
  readonly cluster: RdsCluster;
  /** ARN of the RDS-managed secret holding {"username","password"}; instances read it at boot. */
  readonly secretArn: string;
  /** Writer and reader: what must be up before anything logs in. */
  readonly instances: RdsClusterInstance[];

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const subnets = new DbSubnetGroup(this, 'subnets', { namePrefix: `${props.name}-`, subnetIds: props.subnetIds });
    // The slow query log is what a rehearsal's database findings come from (exported to CloudWatch).
    // Audit only connections, grants and schema changes: auditing every query would cost throughput under load.
    const params = new RdsClusterParameterGroup(this, 'params', {
      namePrefix: `${props.name}-`,
      family: 'aurora-mysql8.0',
      parameter: [
        { name: 'slow_query_log', value: '1' },
        { name: 'long_query_time', value: '0.5' },
        { name: 'log_output', value: 'FILE' },
        { name: 'server_audit_logging', value: '1' },
        { name: 'server_audit_events', value: 'CONNECT,QUERY_DCL,QUERY_DDL' },
        // Plain-text connections are refused; WordPress connects with MYSQLI_CLIENT_SSL (app-user-data.ts).
        { name: 'require_secure_transport', value: 'ON' },
      ],
      lifecycle: { createBeforeDestroy: true },
    });
    this.cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: props.name,
      engine: 'aurora-mysql',
      engineVersion: props.config.engineVersion,
      databaseName: props.config.databaseName,
      masterUsername: props.config.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKeyArn,
      port: PORTS.mysql,
      dbSubnetGroupName: subnets.name,
      dbClusterParameterGroupName: params.name,
      vpcSecurityGroupIds: [props.securityGroupId],
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      backupRetentionPeriod: props.config.backupRetentionDays,
      preferredBackupWindow: '02:00-02:30',
      backtrackWindow: props.config.backtrackHours * 3600,
      copyTagsToSnapshot: true,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ['audit', 'error', 'slowquery'],
      // Ephemeral by default: destroying the rehearsal deletes the cluster without a snapshot. With
      // backups.keep a final snapshot is taken (and AWS Backup's vault outlives the stack).
      skipFinalSnapshot: !props.keepBackups,
      finalSnapshotIdentifier: props.keepBackups ? `${props.name}-final` : undefined,
      deletionProtection: false,
      applyImmediately: true,
    });
    this.secretArn = this.cluster.masterUserSecret.get(0).secretArn;

    const monitoringRole = new IamRole(this, 'monitoring-role', {
      assumeRolePolicy: assumedBy('monitoring.rds.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'monitoring-policy', {
      role: monitoringRole.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });
    // Writer in the first AZ, reader in the second: a failover promotes the reader (promotion tier 1).
    this.instances = (['writer', 'reader'] as const).map((role, i) => {
      return new RdsClusterInstance(this, role, {
        identifier: `${props.name}-${role}`,
        clusterIdentifier: this.cluster.id,
        engine: 'aurora-mysql',
        engineVersion: this.cluster.engineVersion,
        instanceClass: props.config.instanceClass,
        availabilityZone: props.azNames[i],
        promotionTier: i,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        dbSubnetGroupName: subnets.name,
        monitoringInterval: 60,
        monitoringRoleArn: monitoringRole.arn,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: props.kmsKeyArn,
        performanceInsightsRetentionPeriod: 7,
        copyTagsToSnapshot: true,
        applyImmediately: true,
      });
    });
  }
}
