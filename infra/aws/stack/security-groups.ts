// Security groups chained ALB → app → data: the internet reaches only the ALB, the ALB only the
// app's nginx port, and each data store only the app SG on its own port. No SSH anywhere (SSM instead).
import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule/index.js';

/** app: nginx on the instances, behind the ALB (not 80: only the ALB's listener is the public HTTP port). */
export const PORTS = { http: 80, https: 443, app: 8080, mysql: 3306, redis: 6379, nfs: 2049 } as const;

export interface SecurityGroupsProps {
  name: string;
  vpcId: string;
  https: boolean;
}

export class SecurityGroups extends Construct {
  readonly alb: SecurityGroup;
  readonly app: SecurityGroup;
  readonly db: SecurityGroup;
  readonly cache: SecurityGroup;
  readonly efs: SecurityGroup;

  constructor(scope: Construct, id: string, props: SecurityGroupsProps) {
    super(scope, id);
    const sg = (key: string, description: string) =>
      new SecurityGroup(this, key, {
        namePrefix: `${props.name}-${key}-`,
        description,
        vpcId: props.vpcId,
        tags: { Name: `${props.name}-${key}` },
        lifecycle: { createBeforeDestroy: true },
      });
    this.alb = sg('alb', 'Rehearse ALB: HTTP/HTTPS from the internet');
    this.app = sg('app', 'Rehearse app instances: HTTP from the ALB only');
    this.db = sg('db', 'Rehearse Aurora: MySQL from the app only');
    this.cache = sg('cache', 'Rehearse Redis: from the app only');
    this.efs = sg('efs', 'Rehearse EFS: NFS from the app only');

    const internetPorts = props.https ? [PORTS.http, PORTS.https] : [PORTS.http];
    for (const port of internetPorts) {
      new VpcSecurityGroupIngressRule(this, `alb-in-${port}`, {
        securityGroupId: this.alb.id,
        description:
          port === PORTS.https
            ? 'HTTPS from the internet'
            : props.https
              ? 'HTTP, redirected to HTTPS'
              : 'HTTP from the internet',
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
      });
    }
    this.allow(this.alb, this.app, PORTS.app, 'ALB to app nginx');
    this.allow(this.app, this.db, PORTS.mysql, 'app to Aurora MySQL');
    this.allow(this.app, this.cache, PORTS.redis, 'app to Redis (TLS)');
    this.allow(this.app, this.efs, PORTS.nfs, 'app to EFS (NFS over TLS)');
    // Package installs, WordPress downloads and AWS APIs (SSM, Secrets Manager) go out over HTTPS via NAT.
    new VpcSecurityGroupEgressRule(this, 'app-out-https', {
      securityGroupId: this.app.id,
      description: 'HTTPS to AWS APIs and package mirrors via NAT',
      cidrIpv4: '0.0.0.0/0',
      ipProtocol: 'tcp',
      fromPort: PORTS.https,
      toPort: PORTS.https,
    });
  }

  /** Egress on `from` and the matching ingress on `to`, both naming the other SG (no CIDRs). */
  private allow(from: SecurityGroup, to: SecurityGroup, port: number, description: string): void {
    const key = `${from.node.id}-to-${to.node.id}`;
    new VpcSecurityGroupEgressRule(this, `${key}-out`, {
      securityGroupId: from.id,
      referencedSecurityGroupId: to.id,
      description,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
    });
    new VpcSecurityGroupIngressRule(this, `${key}-in`, {
      securityGroupId: to.id,
      referencedSecurityGroupId: from.id,
      description,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
    });
  }
}
