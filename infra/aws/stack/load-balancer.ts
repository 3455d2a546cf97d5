// The ALB: the stack's only public endpoint. With a certificate it serves HTTPS (TLS 1.2+) and
// redirects HTTP; without one it serves HTTP. The target group health check hits a PHP file that
// does not boot WordPress or touch the database (see app-user-data.ts for why).
import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import type { StackConfig } from '../config/stack-config.ts';
import { ALB_LOG_PREFIX } from './access-logs.ts';
import { PORTS } from './security-groups.ts';

export const HEALTH_PATH = '/rehearse-health.php';
/** AWS's current TLS 1.2/1.3 policy; refuses TLS 1.0/1.1. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface LoadBalancerProps {
  name: string;
  vpcId: string;
  subnetIds: string[];
  securityGroupId: string;
  domain: StackConfig['domain'];
  /** Bucket for the ALB's access logs (prefix ALB_LOG_PREFIX). */
  accessLogBucket: string;
  /** Deregistration delay: long enough for in-flight checkouts, short enough for fast scale-in. */
  drainSeconds?: number;
}

export class LoadBalancer extends Construct {
  readonly alb: Lb;
  readonly targetGroup: LbTargetGroup;
  /** The URL WordPress calls home (WP_HOME): the domain with HTTPS, else the ALB's DNS name. */
  readonly siteUrl: string;
  readonly https: boolean;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    this.https = props.domain !== undefined;
    this.alb = new Lb(this, 'alb', {
      namePrefix: 'rh-',
      internal: false,
      loadBalancerType: 'application',
      subnets: props.subnetIds,
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      // A rehearsal is torn down on exit; deletion protection would block that.
      enableDeletionProtection: false,
      idleTimeout: 60,
      accessLogs: { bucket: props.accessLogBucket, prefix: ALB_LOG_PREFIX, enabled: true },
    });
    this.targetGroup = new LbTargetGroup(this, 'app', {
      namePrefix: 'rh-',
      port: PORTS.app,
      protocol: 'HTTP',
      vpcId: props.vpcId,
      targetType: 'instance',
      deregistrationDelay: String(props.drainSeconds ?? 30),
      healthCheck: {
        enabled: true,
        path: HEALTH_PATH,
        protocol: 'HTTP',
        matcher: '200',
        interval: 10,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      lifecycle: { createBeforeDestroy: true },
    });

    if (props.domain) {
      new LbListener(this, 'https', {
        loadBalancerArn: this.alb.arn,
        port: 443,
        protocol: 'HTTPS',
        sslPolicy: TLS_POLICY,
        certificateArn: props.domain.certificateArn,
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      });
      new LbListener(this, 'http-redirect', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } }],
      });
      if (props.domain.hostedZoneId) {
        new Route53Record(this, 'alias', {
          zoneId: props.domain.hostedZoneId,
          name: props.domain.name,
          type: 'A',
          alias: { name: this.alb.dnsName, zoneId: this.alb.zoneId, evaluateTargetHealth: true },
        });
      }
      this.siteUrl = `https://${props.domain.name}`;
    } else {
      new LbListener(this, 'http', {
        loadBalancerArn: this.alb.arn,
        port: 80,
        protocol: 'HTTP',
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      });
      this.siteUrl = `http://${this.alb.dnsName}`;
    }
  }
}
