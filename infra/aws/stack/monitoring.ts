// CloudWatch dashboard and alarms to an SNS topic, plus an outside-in uptime check: a Route 53
// health check on the ALB's public DNS name. Route 53 publishes its metrics in us-east-1 only, so
// the uptime alarm (and its topic, which must share its region) live there whatever the stack region.
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import type { StackConfig } from '../config/stack-config.ts';
import { EncryptionKey } from './encryption-key.ts';
import { HEALTH_PATH } from './load-balancer.ts';

export const ROUTE53_METRICS_REGION = 'us-east-1';

export interface MonitoringProps {
  name: string;
  rehearsalId: string;
  region: string;
  config: StackConfig['monitoring'];
  kmsKeyArn: string;
  https: boolean;
  albDnsName: string;
  albArnSuffix: string;
  targetGroupArnSuffix: string;
  asgName: string;
  dbClusterId: string;
  cacheMemberIds: string[];
}

type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmActions' | 'okActions' | 'evaluationPeriods'> & {
  key: string;
  evaluationPeriods?: number;
};

export class Monitoring extends Construct {
  readonly topic: SnsTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly uptimeCheck: Route53HealthCheck;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const cfg = props.config;
    this.topic = this.topicIn('alerts', props, props.kmsKeyArn);
    const alb = { LoadBalancer: props.albArnSuffix };
    const specs: AlarmSpec[] = [
      {
        key: 'alb-5xx',
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_Target_5XX_Count',
        dimensions: alb,
        statistic: 'Sum',
        threshold: cfg.http5xxPerMinute,
        comparisonOperator: 'GreaterThanThreshold',
        alarmDescription: 'App instances answer 5xx',
      },
      {
        key: 'target-response-time-p95',
        namespace: 'AWS/ApplicationELB',
        metricName: 'TargetResponseTime',
        dimensions: alb,
        extendedStatistic: 'p95',
        threshold: cfg.targetResponseTimeP95Seconds,
        comparisonOperator: 'GreaterThanThreshold',
        alarmDescription: 'p95 time to first byte from the app tier',
      },
      {
        key: 'asg-cpu',
        namespace: 'AWS/EC2',
        metricName: 'CPUUtilization',
        dimensions: { AutoScalingGroupName: props.asgName },
        statistic: 'Average',
        threshold: cfg.cpuPercent,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        alarmDescription: 'App tier CPU stays high: scaling is not keeping up (or max size is reached)',
      },
      {
        key: 'db-connections',
        namespace: 'AWS/RDS',
        metricName: 'DatabaseConnections',
        dimensions: { DBClusterIdentifier: props.dbClusterId },
        statistic: 'Maximum',
        threshold: cfg.dbConnections,
        comparisonOperator: 'GreaterThanThreshold',
        alarmDescription: 'Aurora connections near max_connections',
      },
      {
        key: 'redis-evictions',
        threshold: cfg.cacheEvictionsPerMinute,
        comparisonOperator: 'GreaterThanThreshold',
        alarmDescription: 'Redis evicts keys: the object cache (and sessions) no longer fit',
        metricQuery: [
          ...props.cacheMemberIds.map((member, i) => ({
            id: `e${i}`,
            metric: {
              namespace: 'AWS/ElastiCache',
              metricName: 'Evictions',
              dimensions: { CacheClusterId: member },
              stat: 'Sum',
              period: 60,
            },
            returnData: false,
          })),
          {
            id: 'total',
            expression: `SUM([${props.cacheMemberIds.map((_, i) => `e${i}`).join(',')}])`,
            label: 'Evictions, all nodes',
            returnData: true,
          },
        ],
      },
    ];
    for (const { key, ...spec } of specs) this.alarm(key, props, spec, this.topic.arn);

    // Outside in: Route 53 checkers around the world fetch the health file through the ALB.
    this.uptimeCheck = new Route53HealthCheck(this, 'uptime-check', {
      fqdn: props.albDnsName,
      type: props.https ? 'HTTPS' : 'HTTP',
      port: props.https ? 443 : 80,
      resourcePath: HEALTH_PATH,
      failureThreshold: 3,
      requestInterval: 30,
      measureLatency: true,
      tags: { Name: `${props.name}-uptime` },
    });
    const uptimeTopic =
      props.region === ROUTE53_METRICS_REGION
        ? this.topic
        : this.topicIn(
            'uptime-alerts',
            props,
            new EncryptionKey(this, 'uptime-key', {
              rehearsalId: props.rehearsalId,
              region: ROUTE53_METRICS_REGION,
              logsRegion: ROUTE53_METRICS_REGION,
            }).key.arn,
            ROUTE53_METRICS_REGION,
          );
    this.alarm(
      'uptime',
      props,
      {
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: this.uptimeCheck.id },
        statistic: 'Minimum',
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: 'breaching',
        alarmDescription: 'The store is unreachable from outside AWS',
        region: props.region === ROUTE53_METRICS_REGION ? undefined : ROUTE53_METRICS_REGION,
      },
      uptimeTopic.arn,
    );

    new CloudwatchDashboard(this, 'dashboard', { dashboardName: props.name, dashboardBody: dashboardBody(props) });
  }

  private topicIn(key: string, props: MonitoringProps, kmsKeyArn: string, region?: string): SnsTopic {
    const topic = new SnsTopic(this, key, { name: `${props.name}-${key}`, kmsMasterKeyId: kmsKeyArn, region });
    if (props.config.alertEmail) {
      new SnsTopicSubscription(this, `${key}-email`, {
        topicArn: topic.arn,
        protocol: 'email',
        endpoint: props.config.alertEmail,
        region,
      });
    }
    return topic;
  }

  private alarm(key: string, props: MonitoringProps, spec: Omit<AlarmSpec, 'key'>, topicArn: string): void {
    this.alarms.push(
      new CloudwatchMetricAlarm(this, key, {
        alarmName: `${props.name}-${key}`,
        datapointsToAlarm: 2,
        treatMissingData: 'notBreaching',
        ...(spec.metricQuery ? {} : { period: 60 }),
        ...spec,
        evaluationPeriods: spec.evaluationPeriods ?? 3,
        alarmActions: [topicArn],
        okActions: [topicArn],
      }),
    );
  }
}

/** One screen for a rehearsal: capacity, CPU, traffic, latency, errors, database and cache. */
export function dashboardBody(
  p: Pick<MonitoringProps, 'region' | 'albArnSuffix' | 'asgName' | 'dbClusterId' | 'cacheMemberIds'>,
): string {
  const alb = ['LoadBalancer', p.albArnSuffix];
  const widget = (title: string, metrics: unknown[][], stat = 'Sum', x = 0, y = 0) => ({
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: p.region, period: 60, stat, view: 'timeSeries', metrics },
  });
  const asg = ['AutoScalingGroupName', p.asgName];
  return JSON.stringify({
    widgets: [
      widget(
        'Instances',
        ['GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances'].map((m) => [
          'AWS/AutoScaling',
          m,
          ...asg,
        ]),
        'Average',
        0,
        0,
      ),
      widget('App CPU %', [['AWS/EC2', 'CPUUtilization', ...asg]], 'Average', 12, 0),
      widget('Requests / min', [['AWS/ApplicationELB', 'RequestCount', ...alb]], 'Sum', 0, 6),
      widget(
        'Target response time (s)',
        ['p50', 'p95', 'p99'].map((s) => ['AWS/ApplicationELB', 'TargetResponseTime', ...alb, { stat: s }]),
        'Average',
        12,
        6,
      ),
      widget(
        '5xx / min',
        [
          ['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', ...alb],
          ['AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count', ...alb],
        ],
        'Sum',
        0,
        12,
      ),
      widget(
        'Aurora',
        [
          ['AWS/RDS', 'CPUUtilization', 'DBClusterIdentifier', p.dbClusterId],
          ['AWS/RDS', 'DatabaseConnections', 'DBClusterIdentifier', p.dbClusterId, { yAxis: 'right' }],
        ],
        'Average',
        12,
        12,
      ),
      widget(
        'Redis',
        p.cacheMemberIds.flatMap((m) => [
          ['AWS/ElastiCache', 'EngineCPUUtilization', 'CacheClusterId', m],
          ['AWS/ElastiCache', 'Evictions', 'CacheClusterId', m, { stat: 'Sum', yAxis: 'right' }],
        ]),
        'Average',
        0,
        18,
      ),
    ],
  });
}
