// The app tier: an instance role (SSM instead of SSH: no key pair, no port 22), a launch template
// (IMDSv2 only, detailed monitoring, encrypted EBS) and an Auto Scaling group that tracks CPU and
// requests per target, warms instances up before they count, reports group metrics every minute,
// and pre-scales on schedules (a doorbuster is not something target tracking can see coming).
import { SALT_NAMES } from '../../wordpress-salts.ts';
import { ACCESS_LOG_RETENTION_DAYS } from './access-logs.ts';
import { Construct } from 'constructs';
import { Fn, TerraformLocal, TerraformStack } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group/index.js';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy/index.js';
import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule/index.js';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template/index.js';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter/index.js';
import type { ITerraformDependable } from 'cdktf';
import { al2023Parameter, architectureOf, type StackConfig } from '../config/stack-config.ts';
import { appUserData, type AppUserDataInput } from './app-user-data.ts';
import { assumedBy, policyDocument } from './policy.ts';

/** Group metrics the collector and the dashboard read (AWS publishes them only when enabled). */
export const GROUP_METRICS = [
  'GroupMinSize',
  'GroupMaxSize',
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupStandbyInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
];

const SALTS_EPHEMERAL = 'wp_salts';

export interface AppTierProps {
  name: string;
  config: StackConfig['app'];
  subnetIds: string[];
  securityGroupId: string;
  targetGroupArn: string;
  /** "app/<lb>/<id>/targetgroup/<tg>/<id>": the ALBRequestCountPerTarget ResourceLabel. */
  requestCountResourceLabel: string;
  kmsKeyArn: string;
  partition: string;
  backupBucketArn: string;
  tags: Record<string, string>;
  userData: Omit<AppUserDataInput, 'saltsParameter' | 'software' | 'accessLogGroup'>;
  /** ARN of the SecureString with the app database user's password. */
  dbPasswordArn: string;
  /** The Redis replication group and WordPress's Redis user: IAM authentication (cache.ts). */
  redisConnectArns: string[];
  dependsOn: ITerraformDependable[];
}

export class AppTier extends Construct {
  readonly group: AutoscalingGroup;
  readonly launchTemplate: LaunchTemplate;
  readonly role: IamRole;
  readonly salts: SsmParameter;
  readonly accessLogs: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AppTierProps) {
    super(scope, id);
    const cfg = props.config;
    // WordPress salts: configuration every instance must share, not a credential to rotate (new
    // salts log every shopper out), so a KMS-encrypted SecureString. Generated at deploy by an
    // ephemeral resource and written through a write-only argument: neither the synth nor the
    // Terraform state ever holds them (Terraform >= 1.11). Instances may only read them.
    const random = `ephemeral.aws_secretsmanager_random_password.${SALTS_EPHEMERAL}.random_password`;
    TerraformStack.of(this).addOverride(`ephemeral.aws_secretsmanager_random_password.${SALTS_EPHEMERAL}`, {
      password_length: 64 * SALT_NAMES.length,
      exclude_punctuation: true,
      include_space: false,
    });
    this.salts = new SsmParameter(this, 'wp-salts', {
      name: `/rehearse/${props.name}/wordpress-salts`,
      description: 'WordPress salts shared by every app instance, written once at deploy',
      type: 'SecureString',
      keyId: props.kmsKeyArn,
      valueWo: `\${jsonencode({${SALT_NAMES.map((n, k) => `${n} = substr(${random}, ${k * 64}, 64)`).join(', ')}})}`,
      // Bump to write new salts (it logs every shopper out).
      valueWoVersion: 1,
    });

    // nginx's access log: the request trail of a rehearsal, kept a short while (they are large).
    this.accessLogs = new CloudwatchLogGroup(this, 'access-log', {
      name: `/rehearse/${props.name}/nginx-access`,
      retentionInDays: ACCESS_LOG_RETENTION_DAYS,
      kmsKeyId: props.kmsKeyArn,
    });

    this.role = new IamRole(this, 'role', {
      namePrefix: `${props.name}-app-`,
      assumeRolePolicy: assumedBy('ec2.amazonaws.com'),
    });
    new IamRolePolicyAttachment(this, 'ssm', {
      role: this.role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    new IamRolePolicy(this, 'policy', {
      role: this.role.id,
      policy: policyDocument([
        // Its own database password and the salts; never the master secret (database-user.ts).
        {
          Sid: 'ReadDbPasswordAndSalts',
          Effect: 'Allow',
          Action: 'ssm:GetParameter',
          Resource: [props.dbPasswordArn, this.salts.arn],
        },
        // Signs Redis IAM auth tokens: only as its own Redis user, only on this stack's Redis.
        { Sid: 'ConnectToRedis', Effect: 'Allow', Action: 'elasticache:Connect', Resource: props.redisConnectArns },
        {
          Sid: 'ShipAccessLog',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: `${this.accessLogs.arn}:*`,
        },
        {
          Sid: 'UseStackKey',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: props.kmsKeyArn,
        },
        {
          Sid: 'ListUploadsBackup',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: props.backupBucketArn,
          Condition: { StringLike: { 's3:prefix': ['uploads/*'] } },
        },
        {
          Sid: 'WriteUploadsBackup',
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject'],
          Resource: `${props.backupBucketArn}/uploads/*`,
        },
      ]),
    });
    const profile = new IamInstanceProfile(this, 'profile', { namePrefix: `${props.name}-app-`, role: this.role.name });

    const imageId =
      cfg.image.kind === 'ami'
        ? cfg.image.amiId
        : new DataAwsSsmParameter(this, 'ami', {
            name: cfg.image.ssmParameter ?? al2023Parameter(architectureOf(cfg.instanceType)),
          }).insecureValue;
    const userData = appUserData({
      ...props.userData,
      saltsParameter: this.salts.name,
      software: cfg.software,
      accessLogGroup: `/rehearse/${props.name}/nginx-access`,
    });
    const instanceTags = { ...props.tags, Name: `${props.name}-app` };

    this.launchTemplate = new LaunchTemplate(this, 'template', {
      namePrefix: `${props.name}-app-`,
      imageId,
      instanceType: cfg.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [props.securityGroupId],
      // IMDSv2 only; hop limit 1 keeps containers on the host from reaching the role's credentials.
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'enabled',
      },
      monitoring: { enabled: true },
      ebsOptimized: 'true',
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { volumeSize: cfg.rootVolumeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
        },
      ],
      // Through a local: a JSON string is a Terraform template, so quotes need no HCL escaping.
      userData: Fn.base64encode(new TerraformLocal(this, 'app_user_data', userData).asString),
      // default_tags do not reach what the ASG launches: tag instances, volumes and ENIs here.
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: instanceTags,
      })),
      updateDefaultVersion: true,
    });

    this.group = new AutoscalingGroup(this, 'asg', {
      name: `${props.name}-app`,
      minSize: cfg.min,
      maxSize: cfg.max,
      desiredCapacity: cfg.desired,
      vpcZoneIdentifier: props.subnetIds,
      targetGroupArns: [props.targetGroupArn],
      healthCheckType: 'ELB',
      // Bootstrap installs software before the health file appears; baked images are up in ~1 min.
      healthCheckGracePeriod: cfg.image.kind === 'ami' ? 120 : 600,
      defaultInstanceWarmup: cfg.warmupSeconds,
      enabledMetrics: GROUP_METRICS,
      metricsGranularity: '1Minute',
      launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.toString() },
      waitForCapacityTimeout: '0',
      tag: Object.entries(instanceTags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      // Scaling policies own the desired capacity once the group exists; re-applies must not reset it.
      lifecycle: { ignoreChanges: ['desired_capacity'] },
      dependsOn: props.dependsOn,
    });

    new AutoscalingPolicy(this, 'cpu-tracking', {
      name: 'cpu-target-tracking',
      autoscalingGroupName: this.group.name,
      policyType: 'TargetTrackingScaling',
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
        targetValue: cfg.cpuTargetPercent,
      },
    });
    new AutoscalingPolicy(this, 'request-tracking', {
      name: 'request-count-target-tracking',
      autoscalingGroupName: this.group.name,
      policyType: 'TargetTrackingScaling',
      targetTrackingConfiguration: {
        predefinedMetricSpecification: {
          predefinedMetricType: 'ALBRequestCountPerTarget',
          resourceLabel: props.requestCountResourceLabel,
        },
        targetValue: cfg.requestsPerTargetPerMinute,
      },
    });
    for (const s of cfg.schedules) {
      new AutoscalingSchedule(this, `schedule-${s.name}`, {
        scheduledActionName: s.name,
        autoscalingGroupName: this.group.name,
        minSize: s.min,
        maxSize: s.max,
        desiredCapacity: s.desired,
        recurrence: s.recurrence,
        startTime: s.startTime,
        endTime: s.endTime,
        timeZone: s.timeZone,
      });
    }
  }
}
