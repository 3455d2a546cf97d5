// ElastiCache Redis: object cache and sessions. Multi-AZ with automatic failover, encrypted at
// rest (KMS) and in transit (TLS only), and RBAC with IAM authentication: the default user is
// replaced by a disabled one, and WordPress connects as its own user whose password is a SigV4
// token the instance role signs (valid 15 minutes, refreshed on the instance; app-user-data.ts).
// No password exists anywhere: not in the synth, not in the Terraform state (an RBAC password
// would be: aws_elasticache_user has no write-only argument), not in Secrets Manager. Only the
// app role may connect (elasticache:Connect), and only the app SG reaches the port.
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group/index.js';
import { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user/index.js';
import { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group/index.js';
import type { StackConfig } from '../config/stack-config.ts';
import { PORTS } from './security-groups.ts';

/**
 * What the redis-cache plugin sends (Predis): reads and writes on its own keys (all start with
 * WP_REDIS_PREFIX), PING and SELECT on connect, INFO for its diagnostics, FLUSHDB for
 * `wp cache flush` (this Redis serves one store). Nothing else of @dangerous (KEYS, CONFIG,
 * FLUSHALL, DEBUG…), no scripting, no pub/sub.
 */
export function appAccessString(keyPrefix: string): string {
  if (!/^[a-z0-9-]+:$/.test(keyPrefix))
    throw new Error(`Redis key prefix ${JSON.stringify(keyPrefix)} must be a-z, 0-9, - and end with ":"`);
  return `on ~${keyPrefix}* -@all +@read +@write -@dangerous +flushdb +info +ping +select`;
}

/** The user the default one is swapped for: "off" cannot authenticate, and may run nothing. */
export const DISABLED_DEFAULT_ACCESS = 'off -@all';

export interface CacheProps {
  name: string;
  config: StackConfig['cache'];
  subnetIds: string[];
  securityGroupId: string;
  kmsKeyArn: string;
  /** WP_REDIS_PREFIX: the app user may only touch keys under it. */
  keyPrefix: string;
}

export class Cache extends Construct {
  readonly group: ElasticacheReplicationGroup;
  /** Member cluster ids ("<group>-001"…): the CacheClusterId dimension of Redis metrics. */
  readonly memberIds: string[];
  /** WordPress's Redis user: IAM authentication, user name = user id (an IAM-auth requirement). */
  readonly appUser: ElasticacheUser;
  /** Its name (= its id) and the replication group id, as plain strings: the token is signed for both. */
  readonly appUserName: string;
  readonly replicationGroupId: string;
  readonly userGroup: ElasticacheUserGroup;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const subnets = new ElasticacheSubnetGroup(this, 'subnets', { name: props.name, subnetIds: props.subnetIds });
    const slowLog = new CloudwatchLogGroup(this, 'slow-log', {
      name: `/rehearse/${props.name}/redis-slow-log`,
      retentionInDays: 365,
      kmsKeyId: props.kmsKeyArn,
    });
    // ElastiCache puts its own "default" user (on, no password, every command) in a group unless
    // the group names another user called "default": this one is off.
    const disabledDefault = new ElasticacheUser(this, 'default-user', {
      userId: `${props.name}-default-off`,
      userName: 'default',
      engine: 'redis',
      accessString: DISABLED_DEFAULT_ACCESS,
      authenticationMode: { type: 'no-password-required' },
    });
    this.appUserName = `${props.name}-app`;
    this.replicationGroupId = props.name;
    this.appUser = new ElasticacheUser(this, 'app-user', {
      userId: this.appUserName,
      userName: this.appUserName,
      engine: 'redis',
      accessString: appAccessString(props.keyPrefix),
      authenticationMode: { type: 'iam' },
    });
    this.userGroup = new ElasticacheUserGroup(this, 'users', {
      userGroupId: props.name,
      engine: 'redis',
      userIds: [disabledDefault.userId, this.appUser.userId],
    });
    this.group = new ElasticacheReplicationGroup(this, 'redis', {
      replicationGroupId: this.replicationGroupId,
      description: `Rehearse ${props.name}: WordPress object cache and sessions`,
      engine: 'redis',
      engineVersion: props.config.engineVersion,
      nodeType: props.config.nodeType,
      numCacheClusters: props.config.nodes,
      port: PORTS.redis,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: 'true',
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: [this.userGroup.userGroupId],
      subnetGroupName: subnets.name,
      securityGroupIds: [props.securityGroupId],
      snapshotRetentionLimit: 1,
      autoMinorVersionUpgrade: 'true',
      applyImmediately: true,
      logDeliveryConfiguration: [
        {
          destination: slowLog.name,
          destinationType: 'cloudwatch-logs',
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });
    this.memberIds = Array.from(
      { length: props.config.nodes },
      (_, i) => `${props.name}-${String(i + 1).padStart(3, '0')}`,
    );
  }
}
