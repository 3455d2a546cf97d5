// The k6 runner fleet for one region: a public-only VPC (load must not squeeze through a NAT
// gateway: per-GB charges and a per-destination connection cap), an instance role limited to the
// run's prefix (each runner writes only its own results there), and an Auto Scaling group of spot (or on-demand) runners, 0 at rest. The first region's
// stack also owns the plans-and-results bucket; the others compute its name.
import { Construct } from 'constructs';
import { Fn, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group/index.js';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group/index.js';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule/index.js';
import { K6_VERSION } from '../../../tools/k6/pin.mjs';
import { rehearsalTags } from '../config/common.ts';
import type { StateBackend } from '../config/state-backend.ts';
import { addBackend } from '../stack/backend.ts';
import { bundleKey, type FleetConfig } from '../config/fleet-config.ts';
import { al2023Parameter, architectureOf } from '../config/stack-config.ts';
import { EncryptionKey } from '../stack/encryption-key.ts';
import { Network } from '../stack/network.ts';
import { assumedBy, policyDocument } from '../stack/policy.ts';
import { SecureBucket } from '../stack/secure-bucket.ts';
import { runnerPolicyStatements, runsBucketName } from './runner-policy.ts';
import { runnerUserData } from './runner-user-data.ts';

export function fleetStackName(rehearsalId: string, region: string): string {
  return `rehearse-${rehearsalId}-fleet-${region}`;
}

export class RunnerFleetStack extends TerraformStack {
  readonly group: AutoscalingGroup;
  readonly role: IamRole;
  readonly bucketName: string;

  constructor(scope: Construct, id: string, cfg: FleetConfig, region: string, state?: StateBackend) {
    super(scope, id);
    const homeRegion = cfg.regions[0]!;
    const isHome = region === homeRegion;
    const name = `rehearse-${cfg.rehearsalId}-runners`;
    const tags = rehearsalTags(cfg, 'fleet');
    // allowed_account_ids: credentials for any other account (a wrong AWS_PROFILE) fail before any change.
    new AwsProvider(this, 'aws', { region, allowedAccountIds: [cfg.accountId], defaultTags: [{ tags }] });
    addBackend(this, state, cfg.rehearsalId, id, cfg.accountId);

    const key = new EncryptionKey(this, 'key', { rehearsalId: `${cfg.rehearsalId}-runners`, logsRegion: region });
    this.bucketName = runsBucketName(cfg.rehearsalId, cfg.accountId);
    if (isHome) {
      new SecureBucket(this, 'runs', {
        bucket: this.bucketName,
        kmsKeyArn: key.key.arn,
        // Guards results against an accidental overwrite; conditional writes (segment claims) work as before.
        versioned: true,
        expireDays: cfg.expireDays,
      });
    }

    const network = new Network(this, 'network', {
      name,
      region,
      vpcCidr: cfg.vpcCidr,
      azCount: cfg.azCount,
      natGateways: 'none',
      kmsKeyArn: key.key.arn,
    });
    const sg = new SecurityGroup(this, 'sg', {
      namePrefix: `${name}-`,
      description: 'Rehearse k6 runners: no inbound; outbound HTTP(S) to the store and AWS APIs',
      vpcId: network.vpc.id,
      tags: { Name: name },
      lifecycle: { createBeforeDestroy: true },
    });
    for (const port of [80, 443]) {
      new VpcSecurityGroupEgressRule(this, `sg-out-${port}`, {
        securityGroupId: sg.id,
        description: `load and API traffic on ${port}`,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
      });
    }

    this.role = new IamRole(this, 'role', { namePrefix: `${name}-`, assumeRolePolicy: assumedBy('ec2.amazonaws.com') });
    new IamRolePolicyAttachment(this, 'ssm', {
      role: this.role.name,
      policyArn: `arn:${key.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    new IamRolePolicy(this, 'run-prefix', {
      role: this.role.id,
      policy: policyDocument(
        runnerPolicyStatements({
          partition: key.partition,
          accountId: cfg.accountId,
          bucketName: this.bucketName,
          bucketRegion: homeRegion,
          rehearsalId: cfg.rehearsalId,
        }),
      ),
    });
    const profile = new IamInstanceProfile(this, 'profile', { namePrefix: `${name}-`, role: this.role.name });

    const arch = architectureOf(cfg.instanceTypes[0]!);
    const ami = new DataAwsSsmParameter(this, 'ami', { name: al2023Parameter(arch) });
    const userData = runnerUserData({
      region,
      bucketName: this.bucketName,
      bucketRegion: homeRegion,
      rehearsalId: cfg.rehearsalId,
      bundleKey: bundleKey(cfg),
      roleUniqueId: this.role.uniqueId,
      k6Version: K6_VERSION,
      nodeMajor: cfg.nodeMajor,
    });
    const instanceTags = { ...tags, Name: name };
    const template = new LaunchTemplate(this, 'template', {
      namePrefix: `${name}-`,
      imageId: ami.insecureValue,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      monitoring: { enabled: true },
      ebsOptimized: 'true',
      // A public IP per runner: load leaves straight through the internet gateway.
      networkInterfaces: [{ associatePublicIpAddress: 'true', securityGroups: [sg.id], deleteOnTermination: 'true' }],
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: 20, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      userData: Fn.base64encode(new TerraformLocal(this, 'runner_user_data', userData).asString),
      tagSpecifications: ['instance', 'volume', 'network-interface', 'spot-instances-request'].map((resourceType) => ({
        resourceType,
        tags: instanceTags,
      })),
      updateDefaultVersion: true,
    });

    const spot = cfg.purchase === 'spot';
    // At rest the group runs nothing: the controller scales it up per run once the agent bundle
    // and the run are in the bucket (runners/fleet/fleet-agents.ts), and back to 0 at the end.
    this.group = new AutoscalingGroup(this, 'asg', {
      name: `${name}-${region}`,
      minSize: 0,
      maxSize: cfg.runnersPerRegion,
      desiredCapacity: 0,
      // A `stack up` during a run must not scale its runners away.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
      vpcZoneIdentifier: network.publicSubnets.map((s) => s.id),
      // Replace a spot runner AWS is about to reclaim before it goes, not after.
      capacityRebalance: spot,
      mixedInstancesPolicy: {
        instancesDistribution: {
          onDemandBaseCapacity: 0,
          onDemandPercentageAboveBaseCapacity: spot ? 0 : 100,
          spotAllocationStrategy: 'price-capacity-optimized',
        },
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateId: template.id, version: template.latestVersion.toString() },
          override: cfg.instanceTypes.map((instanceType) => ({ instanceType })),
        },
      },
      waitForCapacityTimeout: '0',
      tag: Object.entries(instanceTags).map(([k, value]) => ({ key: k, value, propagateAtLaunch: true })),
    });

    new TerraformOutput(this, 'runs_bucket', { value: this.bucketName });
    new TerraformOutput(this, 'store_url', { value: `s3://${this.bucketName}/runs/${cfg.rehearsalId}` });
    new TerraformOutput(this, 'runner_asg_name', { value: this.group.name });
  }
}
