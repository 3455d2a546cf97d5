// The WordPress stack under test, as one Terraform stack: network, security groups, data stores,
// ALB, app tier, backups and monitoring, every resource tagged with the rehearsal id.
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { rehearsalTags } from '../config/common.ts';
import type { StackConfig } from '../config/stack-config.ts';
import type { StateBackend } from '../config/state-backend.ts';
import { addBackend } from './backend.ts';
import { AccessLogs, S3_LOG_PREFIX } from './access-logs.ts';
import { AppTier } from './app-tier.ts';
import { redisKeyPrefix } from './app-user-data.ts';
import { Backups } from './backups.ts';
import { Cache } from './cache.ts';
import { Database } from './database.ts';
import { DatabaseUser } from './database-user.ts';
import { EncryptionKey } from './encryption-key.ts';
import { LoadBalancer } from './load-balancer.ts';
import { Monitoring } from './monitoring.ts';
import { Network } from './network.ts';
import { SecurityGroups } from './security-groups.ts';
import { SharedFiles } from './shared-files.ts';

/** Outputs the lifecycle and the telemetry collector read after `apply` (`terraform output -json`). */
export const STACK_OUTPUTS = [
  'site_url',
  'alb_dns_name',
  'alb_arn_suffix',
  'target_group_arn_suffix',
  'asg_name',
  'instance_type',
  'db_cluster_id',
  'cache_member_ids',
  'backup_bucket',
  'alerts_topic_arn',
  'region',
  'access_log_bucket',
  'lifetime',
  'efs_id',
  'nat_gateway_ids',
] as const;

/** What destroying the stack does to its backups, as the deploy output says it. */
export function lifetimeOf(cfg: StackConfig): string {
  return cfg.backups.keep
    ? 'long-lived backups: destroying the stack keeps a final Aurora snapshot, the backup vault and the backup bucket'
    : 'ephemeral: destroying the stack deletes its data and its backups (set store.backups.keep to keep them)';
}

export function storeStackName(rehearsalId: string): string {
  return `rehearse-${rehearsalId}-store`;
}

export class WordPressStack extends TerraformStack {
  readonly loadBalancer: LoadBalancer;
  readonly app: AppTier;
  readonly database: Database;
  readonly cache: Cache;

  constructor(scope: Construct, id: string, cfg: StackConfig, state?: StateBackend) {
    super(scope, id);
    const name = `rehearse-${cfg.rehearsalId}`;
    const tags = rehearsalTags(cfg, 'store');
    // allowed_account_ids: credentials for any other account (a wrong AWS_PROFILE) fail before any change.
    new AwsProvider(this, 'aws', { region: cfg.region, allowedAccountIds: [cfg.accountId], defaultTags: [{ tags }] });
    addBackend(this, state, cfg.rehearsalId, id, cfg.accountId);

    const key = new EncryptionKey(this, 'key', { rehearsalId: cfg.rehearsalId, logsRegion: cfg.region });
    const kmsKeyArn = key.key.arn;
    const network = new Network(this, 'network', {
      name,
      region: cfg.region,
      vpcCidr: cfg.vpcCidr,
      azCount: cfg.azCount,
      natGateways: cfg.natGateways,
      kmsKeyArn,
    });
    const privateIds = network.privateSubnets.map((s) => s.id);
    const sgs = new SecurityGroups(this, 'sg', { name, vpcId: network.vpc.id, https: cfg.domain !== undefined });

    this.database = new Database(this, 'database', {
      name,
      config: cfg.database,
      subnetIds: privateIds,
      azNames: network.azNames,
      securityGroupId: sgs.db.id,
      kmsKeyArn,
      partition: key.partition,
      keepBackups: cfg.backups.keep,
    });
    this.cache = new Cache(this, 'cache', {
      name,
      config: cfg.cache,
      subnetIds: privateIds,
      securityGroupId: sgs.cache.id,
      kmsKeyArn,
      keyPrefix: redisKeyPrefix(cfg.rehearsalId),
    });
    // WordPress logs in as its own user; only this one-shot bootstrap reads the master secret.
    const dbUser = new DatabaseUser(this, 'database-user', {
      name,
      region: cfg.region,
      username: cfg.database.appUsername,
      databaseName: cfg.database.databaseName,
      clusterEndpoint: this.database.cluster.endpoint,
      masterSecretArn: this.database.secretArn,
      kmsKeyArn,
      partition: key.partition,
      subnetId: privateIds[0]!,
      securityGroupId: sgs.app.id,
      tags: { ...tags },
      passwordVersion: cfg.database.appPasswordVersion,
      dependsOn: this.database.instances,
    });
    const files = new SharedFiles(this, 'files', {
      name,
      subnetIds: privateIds,
      securityGroupId: sgs.efs.id,
      kmsKeyArn,
    });
    const logs = new AccessLogs(this, 'access-logs', { name, partition: key.partition, accountId: cfg.accountId });
    const backups = new Backups(this, 'backups', {
      name,
      config: cfg.backups,
      kmsKeyArn,
      partition: key.partition,
      tags,
      accessLogs: { bucket: logs.bucket.bucket.id, prefix: S3_LOG_PREFIX },
      resourceArns: [this.database.cluster.arn, files.fileSystem.arn],
    });

    this.loadBalancer = new LoadBalancer(this, 'lb', {
      name,
      vpcId: network.vpc.id,
      subnetIds: network.publicSubnets.map((s) => s.id),
      securityGroupId: sgs.alb.id,
      domain: cfg.domain,
      accessLogBucket: logs.bucket.bucket.id,
    });
    const { alb, targetGroup } = this.loadBalancer;
    this.app = new AppTier(this, 'app', {
      name,
      config: cfg.app,
      subnetIds: privateIds,
      securityGroupId: sgs.app.id,
      targetGroupArn: targetGroup.arn,
      requestCountResourceLabel: `${alb.arnSuffix}/${targetGroup.arnSuffix}`,
      kmsKeyArn,
      partition: key.partition,
      backupBucketArn: backups.bucket.bucket.arn,
      tags,
      userData: {
        rehearsalId: cfg.rehearsalId,
        region: cfg.region,
        siteUrl: this.loadBalancer.siteUrl,
        dbHost: this.database.cluster.endpoint,
        dbName: cfg.database.databaseName,
        dbUser: cfg.database.appUsername,
        dbPasswordParameter: dbUser.password.name,
        redisHost: this.cache.group.primaryEndpointAddress,
        redisReplicationGroupId: this.cache.replicationGroupId,
        redisUser: this.cache.appUserName,
        efsId: files.fileSystem.id,
        backupBucket: backups.bucket.bucket.bucket,
      },
      dbPasswordArn: dbUser.password.arn,
      redisConnectArns: [this.cache.group.arn, this.cache.appUser.arn],
      dependsOn: [...files.mountTargets, this.cache.group],
    });

    const monitoring = new Monitoring(this, 'monitoring', {
      name,
      rehearsalId: cfg.rehearsalId,
      region: cfg.region,
      config: cfg.monitoring,
      kmsKeyArn,
      https: this.loadBalancer.https,
      albDnsName: alb.dnsName,
      albArnSuffix: alb.arnSuffix,
      targetGroupArnSuffix: targetGroup.arnSuffix,
      asgName: this.app.group.name,
      dbClusterId: this.database.cluster.clusterIdentifier,
      cacheMemberIds: this.cache.memberIds,
    });

    const outputs: Record<(typeof STACK_OUTPUTS)[number], unknown> = {
      site_url: this.loadBalancer.siteUrl,
      alb_dns_name: alb.dnsName,
      alb_arn_suffix: alb.arnSuffix,
      target_group_arn_suffix: targetGroup.arnSuffix,
      asg_name: this.app.group.name,
      instance_type: cfg.app.instanceType,
      db_cluster_id: this.database.cluster.clusterIdentifier,
      cache_member_ids: this.cache.memberIds,
      backup_bucket: backups.bucket.bucket.bucket,
      alerts_topic_arn: monitoring.topic.arn,
      region: cfg.region,
      access_log_bucket: logs.bucket.bucket.bucket,
      lifetime: lifetimeOf(cfg),
      efs_id: files.fileSystem.id,
      nat_gateway_ids: network.natGateways.map((n) => n.id),
    };
    for (const [outputName, value] of Object.entries(outputs)) new TerraformOutput(this, outputName, { value });
  }
}
