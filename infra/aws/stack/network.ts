// VPC across AZs: public subnets hold only the ALB (and the NAT gateways), private subnets hold
// everything else; private egress goes through NAT, S3 traffic through a free gateway endpoint.
import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones/index.js';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group/index.js';
import { Eip } from '@cdktf/provider-aws/lib/eip/index.js';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway/index.js';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway/index.js';
import { Route } from '@cdktf/provider-aws/lib/route/index.js';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table/index.js';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association/index.js';
import { Subnet } from '@cdktf/provider-aws/lib/subnet/index.js';
import { Vpc } from '@cdktf/provider-aws/lib/vpc/index.js';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint/index.js';
import { subnetCidrs } from '../config/stack-config.ts';
import { assumedBy, policyDocument } from './policy.ts';

export interface NetworkProps {
  name: string;
  region: string;
  vpcCidr: string;
  azCount: number;
  /** "none" for a public-only VPC (the runner fleet: load must not squeeze through NAT). */
  natGateways: 'single' | 'per-az' | 'none';
  kmsKeyArn: string;
}

export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly azNames: string[];
  /** The NAT gateways (their ids are a stack output: the cost model reads their bytes). */
  readonly natGateways: NatGateway[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const azs = new DataAwsAvailabilityZones(this, 'azs', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    this.azNames = Array.from({ length: props.azCount }, (_, i) => Fn.element(azs.names, i));
    const { publicCidrs, privateCidrs } = subnetCidrs(props.vpcCidr, props.azCount);

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    // The default SG allows all traffic between its members: take every rule away.
    new DefaultSecurityGroup(this, 'default-sg', {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-default-unused` },
    });

    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: props.name } });
    const publicRt = new RouteTable(this, 'public-rt', { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, 'public-default', {
      routeTableId: publicRt.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });

    this.publicSubnets = publicCidrs.map((cidr, i) => {
      const subnet = new Subnet(this, `public-${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: this.azNames[i],
        // Nothing here gets a public IP by accident; the ALB and NAT bring their own.
        mapPublicIpOnLaunch: false,
        tags: { Name: `${props.name}-public-${i}`, tier: 'public' },
      });
      new RouteTableAssociation(this, `public-${i}-rta`, { subnetId: subnet.id, routeTableId: publicRt.id });
      return subnet;
    });

    const nats: NatGateway[] = [];
    this.natGateways = nats;
    const natCount = props.natGateways === 'per-az' ? props.azCount : props.natGateways === 'single' ? 1 : 0;
    for (let i = 0; i < natCount; i++) {
      const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: `${props.name}-nat-${i}` } });
      nats.push(
        new NatGateway(this, `nat-${i}`, {
          allocationId: eip.id,
          subnetId: this.publicSubnets[i]!.id,
          tags: { Name: `${props.name}-nat-${i}` },
          dependsOn: [igw],
        }),
      );
    }

    const privateRts: RouteTable[] = [];
    this.privateSubnets =
      natCount === 0
        ? []
        : privateCidrs.map((cidr, i) => {
            const subnet = new Subnet(this, `private-${i}`, {
              vpcId: this.vpc.id,
              cidrBlock: cidr,
              availabilityZone: this.azNames[i],
              tags: { Name: `${props.name}-private-${i}`, tier: 'private' },
            });
            const rt = new RouteTable(this, `private-rt-${i}`, {
              vpcId: this.vpc.id,
              tags: { Name: `${props.name}-private-${i}` },
            });
            new Route(this, `private-${i}-default`, {
              routeTableId: rt.id,
              destinationCidrBlock: '0.0.0.0/0',
              natGatewayId: nats[Math.min(i, nats.length - 1)]!.id,
            });
            new RouteTableAssociation(this, `private-${i}-rta`, { subnetId: subnet.id, routeTableId: rt.id });
            privateRts.push(rt);
            return subnet;
          });

    // S3 (backups, plans, results) bypasses NAT: no per-GB NAT charge, no NAT bottleneck.
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [publicRt.id, ...privateRts.map((rt) => rt.id)],
      tags: { Name: `${props.name}-s3` },
    });

    this.flowLogs(props);
  }

  /** Rejected traffic only: what a security review asks for, at a fraction of the volume of ALL. */
  private flowLogs(props: NetworkProps): void {
    const group = new CloudwatchLogGroup(this, 'flow-log-group', {
      name: `/rehearse/${props.name}/vpc-flow-rejects`,
      retentionInDays: 365,
      kmsKeyId: props.kmsKeyArn,
    });
    const role = new IamRole(this, 'flow-log-role', { assumeRolePolicy: assumedBy('vpc-flow-logs.amazonaws.com') });
    new IamRolePolicy(this, 'flow-log-policy', {
      role: role.id,
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: `${group.arn}:*`,
        },
      ]),
    });
    new FlowLog(this, 'flow-log', {
      vpcId: this.vpc.id,
      trafficType: 'REJECT',
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 600,
    });
  }
}
