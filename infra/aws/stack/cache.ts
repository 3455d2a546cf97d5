// ElastiCache Redis: object cache and sessions. Multi-AZ with automatic failover, encrypted at
// rest (KMS) and in transit (TLS only). No AUTH token: it would be a secret in the synth and the
// Terraform state; only the app SG can reach the port.
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group/index.js';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group/index.js';
import type { StackConfig } from '../config/stack-config.ts';
import { PORTS } from './security-groups.ts';

export interface CacheProps {
  name: string;
  config: StackConfig['cache'];
  subnetIds: string[];
  securityGroupId: string;
  kmsKeyArn: string;
}

export class Cache extends Construct {
  readonly group: ElasticacheReplicationGroup;
  /** Member cluster ids ("<group>-001"…): the CacheClusterId dimension of Redis metrics. */
  readonly memberIds: string[];

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const subnets = new ElasticacheSubnetGroup(this, 'subnets', { name: props.name, subnetIds: props.subnetIds });
    const slowLog = new CloudwatchLogGroup(this, 'slow-log', {
      name: `/rehearse/${props.name}/redis-slow-log`,
      retentionInDays: 365,
      kmsKeyId: props.kmsKeyArn,
    });
    this.group = new ElasticacheReplicationGroup(this, 'redis', {
      replicationGroupId: props.name,
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
