// Invariants of the synthesized WordPress stack (the Terraform JSON is the contract), for a
// config with a domain + certificate and one without.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { TAG } from '../config/common.ts';
import { REHEARSAL_ID, ref, resourcesOf, strings, keys, synthStore, withCertificate, withoutCertificate, type Synth } from '../testing/fixtures.ts';

const raw = { cert: synthStore(withCertificate), plain: synthStore(withoutCertificate) };
const synth: Record<keyof typeof raw, Synth> = { cert: JSON.parse(raw.cert), plain: JSON.parse(raw.plain) };
const both = Object.entries(synth) as Array<[keyof typeof raw, Synth]>;

function only<T>(items: T[], what: string): T {
  assert.equal(items.length, 1, `expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}

/** Name of the SG a reference like "${aws_security_group.sg_db_X.id}" points at. */
function sgName(reference: string): string {
  const m = /^\$\{aws_security_group\.([^.]+)\.id\}$/.exec(reference);
  assert.ok(m, `not a security group reference: ${reference}`);
  return m[1]!;
}

function ingressRules(s: Synth) {
  return resourcesOf(s, 'aws_vpc_security_group_ingress_rule').map(([, r]) => r);
}

describe('network exposure', () => {
  for (const [kind, s] of both) {
    test(`${kind}: only the ALB SG takes traffic from 0.0.0.0/0, and only on 80/443`, () => {
      const albSg = sgName(only(resourcesOf(s, 'aws_lb'), 'ALB')[1].security_groups[0]);
      const open = ingressRules(s).filter((r) => r.cidr_ipv4 === '0.0.0.0/0' || r.cidr_ipv6 === '::/0');
      assert.ok(open.length > 0);
      for (const r of open) {
        assert.equal(sgName(r.security_group_id), albSg);
        assert.ok([80, 443].includes(r.from_port) && r.from_port === r.to_port, `open port ${r.from_port}-${r.to_port}`);
      }
      const openPorts = open.map((r) => r.from_port).sort((a, b) => a - b);
      assert.deepEqual(openPorts, kind === 'cert' ? [80, 443] : [80]);
      // No inline rules or legacy rule resources that would escape the checks above.
      assert.equal(s.resource.aws_security_group_rule, undefined);
      for (const [, sg] of resourcesOf(s, 'aws_security_group')) assert.equal(sg.ingress, undefined);
    });

    test(`${kind}: no rule opens port 22 and no instance has a key pair`, () => {
      for (const r of ingressRules(s)) {
        const from = r.from_port ?? 0;
        const to = r.to_port ?? 65535;
        assert.ok(r.ip_protocol !== '-1' && !(from <= 22 && 22 <= to), `ingress ${from}-${to} covers SSH`);
      }
      for (const [, lt] of resourcesOf(s, 'aws_launch_template')) assert.equal(lt.key_name, undefined);
    });

    test(`${kind}: the ALB is the only thing in public subnets`, () => {
      const publicSubnets = resourcesOf(s, 'aws_subnet').filter(([, b]) => b.tags.tier === 'public').map(([n]) => ref('aws_subnet', n));
      const privateSubnets = resourcesOf(s, 'aws_subnet').filter(([, b]) => b.tags.tier === 'private').map(([n]) => ref('aws_subnet', n));
      assert.equal(publicSubnets.length, privateSubnets.length);
      assert.deepEqual(only(resourcesOf(s, 'aws_lb'), 'ALB')[1].subnets, publicSubnets);
      const asg = only(resourcesOf(s, 'aws_autoscaling_group'), 'ASG')[1];
      assert.deepEqual(asg.vpc_zone_identifier, privateSubnets);
      assert.deepEqual(only(resourcesOf(s, 'aws_db_subnet_group'), 'DB subnet group')[1].subnet_ids, privateSubnets);
      assert.deepEqual(only(resourcesOf(s, 'aws_elasticache_subnet_group'), 'cache subnets')[1].subnet_ids, privateSubnets);
      assert.deepEqual(resourcesOf(s, 'aws_efs_mount_target').map(([, m]) => m.subnet_id), privateSubnets);
      for (const [, subnet] of resourcesOf(s, 'aws_subnet')) assert.notEqual(subnet.map_public_ip_on_launch, true);
      for (const [, nat] of resourcesOf(s, 'aws_nat_gateway')) assert.ok(publicSubnets.includes(nat.subnet_id));
    });
  }
});

describe('data stores', () => {
  for (const [kind, s] of both) {
    test(`${kind}: every data store is encrypted`, () => {
      const db = only(resourcesOf(s, 'aws_rds_cluster'), 'Aurora cluster')[1];
      assert.equal(db.storage_encrypted, true);
      assert.ok(db.kms_key_id);
      const redis = only(resourcesOf(s, 'aws_elasticache_replication_group'), 'Redis')[1];
      assert.equal(redis.at_rest_encryption_enabled, 'true');
      assert.equal(redis.transit_encryption_enabled, true);
      assert.equal(redis.transit_encryption_mode, 'required');
      assert.equal(only(resourcesOf(s, 'aws_efs_file_system'), 'EFS')[1].encrypted, true);
      const sse = resourcesOf(s, 'aws_s3_bucket_server_side_encryption_configuration').map(([, c]) => c);
      for (const [name] of resourcesOf(s, 'aws_s3_bucket')) {
        const config = sse.find((c) => c.bucket === ref('aws_s3_bucket', name));
        assert.ok(config, `bucket ${name} has no default encryption`);
        assert.equal(config.rule[0].apply_server_side_encryption_by_default.sse_algorithm, 'aws:kms');
      }
      for (const [, lt] of resourcesOf(s, 'aws_launch_template')) {
        for (const bd of lt.block_device_mappings) assert.equal(bd.ebs.encrypted, 'true');
      }
    });

    test(`${kind}: data SGs take traffic only from the app SG, on their own port`, () => {
      const appSg = sgName(only(resourcesOf(s, 'aws_launch_template'), 'launch template')[1].vpc_security_group_ids[0]);
      const dataSgs: Array<[string, number]> = [
        [sgName(only(resourcesOf(s, 'aws_rds_cluster'), 'cluster')[1].vpc_security_group_ids[0]), 3306],
        [sgName(only(resourcesOf(s, 'aws_elasticache_replication_group'), 'redis')[1].security_group_ids[0]), 6379],
        ...resourcesOf(s, 'aws_efs_mount_target').map(([, m]) => [sgName(m.security_groups[0]), 2049] as [string, number]),
      ];
      for (const [sg, port] of dataSgs) {
        const rules = ingressRules(s).filter((r) => sgName(r.security_group_id) === sg);
        assert.equal(rules.length, 1, `${sg}: ${rules.length} ingress rules`);
        assert.equal(sgName(rules[0]!.referenced_security_group_id), appSg);
        assert.equal(rules[0]!.from_port, port);
        assert.equal(rules[0]!.to_port, port);
        assert.equal(rules[0]!.cidr_ipv4, undefined);
      }
      // The app SG itself takes traffic only from the ALB SG.
      const albSg = sgName(only(resourcesOf(s, 'aws_lb'), 'ALB')[1].security_groups[0]);
      const appRules = ingressRules(s).filter((r) => sgName(r.security_group_id) === appSg);
      assert.deepEqual(appRules.map((r) => sgName(r.referenced_security_group_id)), [albSg]);
    });

    test(`${kind}: Aurora has a writer and a reader in another AZ, retained backups, a managed password`, () => {
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_rds_cluster', {
        engine: 'aurora-mysql', manage_master_user_password: true, storage_encrypted: true, backup_retention_period: 7,
      }));
      const instances = resourcesOf(s, 'aws_rds_cluster_instance').map(([, i]) => i);
      assert.equal(instances.length, 2);
      assert.notEqual(instances[0]!.availability_zone, instances[1]!.availability_zone);
      assert.deepEqual(instances.map((i) => i.promotion_tier).sort(), [0, 1]);
      for (const i of instances) assert.equal(i.publicly_accessible, false);
    });

    test(`${kind}: Redis is multi-AZ with automatic failover; EFS has a mount target per AZ`, () => {
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_elasticache_replication_group', {
        multi_az_enabled: true, automatic_failover_enabled: true, num_cache_clusters: 2,
      }));
      const azCount = kind === 'cert' ? 3 : 2;
      assert.equal(resourcesOf(s, 'aws_efs_mount_target').length, azCount);
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_efs_file_system', { throughput_mode: 'elastic' }));
    });

    test(`${kind}: AWS Backup covers Aurora and EFS; the backup bucket is versioned, private and expires`, () => {
      const plan = only(resourcesOf(s, 'aws_backup_plan'), 'backup plan');
      const selection = only(resourcesOf(s, 'aws_backup_selection'), 'backup selection')[1];
      assert.equal(selection.plan_id, ref('aws_backup_plan', plan[0]));
      const [cluster] = only(resourcesOf(s, 'aws_rds_cluster'), 'cluster');
      const [efs] = only(resourcesOf(s, 'aws_efs_file_system'), 'EFS');
      assert.deepEqual(new Set(selection.resources), new Set([ref('aws_rds_cluster', cluster, 'arn'), ref('aws_efs_file_system', efs, 'arn')]));
      assert.ok(plan[1].rule[0].lifecycle.delete_after >= 1);
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_s3_bucket_versioning', { versioning_configuration: { status: 'Enabled' } }));
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_s3_bucket_public_access_block', {
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      }));
      const rule = only(resourcesOf(s, 'aws_s3_bucket_lifecycle_configuration'), 'lifecycle')[1].rule[0];
      assert.deepEqual(rule.transition.map((t: { storage_class: string }) => t.storage_class), ['STANDARD_IA', 'GLACIER_IR']);
      assert.equal(rule.expiration[0].days, 365);
    });
  }
});

describe('app tier and balancer', () => {
  for (const [kind, s] of both) {
    test(`${kind}: launch template requires IMDSv2, monitors in detail, uses an SSM instance profile`, () => {
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_launch_template', {
        metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
        monitoring: { enabled: true },
      }));
      const attachments = resourcesOf(s, 'aws_iam_role_policy_attachment').map(([, a]) => a.policy_arn as string);
      assert.ok(attachments.some((a) => a.endsWith(':iam::aws:policy/AmazonSSMManagedInstanceCore')));
    });

    test(`${kind}: ASG tracks CPU and requests per target, warms up, reports 1-minute group metrics`, () => {
      const [albName] = only(resourcesOf(s, 'aws_lb'), 'ALB');
      const [tgName] = only(resourcesOf(s, 'aws_lb_target_group'), 'target group');
      const policies = resourcesOf(s, 'aws_autoscaling_policy').map(([, p]) => p.target_tracking_configuration);
      const byType = (t: string) => policies.find((p) => p.predefined_metric_specification.predefined_metric_type === t);
      assert.ok(byType('ASGAverageCPUUtilization'));
      assert.equal(byType('ALBRequestCountPerTarget')?.predefined_metric_specification.resource_label,
        `${ref('aws_lb', albName, 'arn_suffix')}/${ref('aws_lb_target_group', tgName, 'arn_suffix')}`);
      const asg = only(resourcesOf(s, 'aws_autoscaling_group'), 'ASG')[1];
      assert.ok(asg.default_instance_warmup > 0);
      assert.equal(asg.metrics_granularity, '1Minute');
      for (const m of ['GroupDesiredCapacity', 'GroupPendingInstances', 'GroupInServiceInstances']) assert.ok(asg.enabled_metrics.includes(m), m);
      assert.equal(asg.health_check_type, 'ELB');
      assert.deepEqual(asg.target_group_arns, [ref('aws_lb_target_group', tgName, 'arn')]);
    });

    test(`${kind}: target group health check is the cheap /rehearse-health.php`, () => {
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_lb_target_group', {
        health_check: { path: '/rehearse-health.php', matcher: '200', protocol: 'HTTP' },
      }));
    });
  }

  test('with a certificate: HTTPS listener with TLS 1.2+, HTTP redirects to HTTPS', () => {
    const listeners = resourcesOf(synth.cert, 'aws_lb_listener').map(([, l]) => l);
    assert.equal(listeners.length, 2);
    const https = only(listeners.filter((l) => l.protocol === 'HTTPS'), 'HTTPS listener');
    assert.equal(https.port, 443);
    assert.equal(https.certificate_arn, withCertificate.domain!.certificateArn);
    assert.match(https.ssl_policy, /TLS13-1-2/);
    const http = only(listeners.filter((l) => l.protocol === 'HTTP'), 'HTTP listener');
    assert.deepEqual(http.default_action[0].redirect, { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' });
    assert.ok(Testing.toHaveResourceWithProperties(raw.cert, 'aws_route53_record', { name: 'shop.example.com', type: 'A' }));
  });

  test('without a certificate: one plain HTTP listener that forwards', () => {
    const listener = only(resourcesOf(synth.plain, 'aws_lb_listener'), 'listener')[1];
    assert.equal(listener.protocol, 'HTTP');
    assert.equal(listener.default_action[0].type, 'forward');
    assert.equal(synth.plain.resource.aws_route53_record, undefined);
  });

  test('scheduled actions come from the config', () => {
    const schedules = resourcesOf(synth.cert, 'aws_autoscaling_schedule').map(([, a]) => a);
    assert.deepEqual(schedules.map((a) => [a.scheduled_action_name, a.min_size, a.max_size, a.desired_capacity]),
      [['doorbuster-prewarm', 8, 20, 10], ['evening-peak', 4, 16, 6]]);
    assert.equal(schedules[1]!.recurrence, '0 18 * * *');
    assert.equal(schedules[1]!.time_zone, 'Europe/Dublin');
    assert.equal(synth.plain.resource.aws_autoscaling_schedule, undefined);
  });

  test('image: bootstrap reads the AL2023 parameter for the instance architecture; ami pins the id', () => {
    assert.ok(Testing.toHaveDataSourceWithProperties(raw.cert, 'aws_ssm_parameter', {
      name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
    }));
    assert.ok(Testing.toHaveResourceWithProperties(raw.plain, 'aws_launch_template', { image_id: 'ami-0123456789abcdef0', instance_type: 'c7i.large' }));
  });
});

describe('secrets and tags', () => {
  for (const [kind, s] of both) {
    test(`${kind}: no secret in the synthesized JSON`, () => {
      const allKeys = new Set(keys(s));
      for (const k of ['master_password', 'master_password_wo', 'auth_token', 'password', 'secret_string', 'key_name']) {
        assert.ok(!allKeys.has(k), `synth sets "${k}"`);
      }
      assert.equal(s.resource.aws_secretsmanager_secret_version, undefined);
      const looksSecret = [
        /AKIA[0-9A-Z]{16}/, // access key id
        /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
        /(?:password|passwd|secret|token|api[_-]?key)["']?\s*(?:[:=]|=>)\s*["'][^"'$\s]{6,}["']/i, // a quoted literal assigned to a secret name
      ];
      // An AWS secret access key: 40 base64 characters mixing digits and both cases (paths and names do not).
      const secretKeyShape = (v: string) => (v.match(/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g) ?? [])
        .some((run) => /\d/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run));
      for (const [path, value] of strings(s)) {
        for (const pattern of looksSecret) assert.ok(!pattern.test(value), `${path.join('.')} looks like a secret (${pattern})`);
        assert.ok(!secretKeyShape(value), `${path.join('.')} holds a string shaped like an AWS secret key`);
      }
    });

    test(`${kind}: every resource carries the rehearsal id tag, including what the ASG launches`, () => {
      for (const provider of s.provider.aws!) assert.equal(provider.default_tags[0].tags[TAG.rehearsalId], REHEARSAL_ID);
      // Nothing overrides the tag with another value.
      for (const [path, value] of strings(s.resource)) {
        if (path.at(-1) === TAG.rehearsalId) assert.equal(value, REHEARSAL_ID, path.join('.'));
      }
      const asg = only(resourcesOf(s, 'aws_autoscaling_group'), 'ASG')[1];
      assert.ok(asg.tag.some((t: any) => t.key === TAG.rehearsalId && t.value === REHEARSAL_ID && t.propagate_at_launch === true));
      const lt = only(resourcesOf(s, 'aws_launch_template'), 'launch template')[1];
      for (const type of ['instance', 'volume', 'network-interface']) {
        const spec = lt.tag_specifications.find((t: any) => t.resource_type === type);
        assert.equal(spec?.tags[TAG.rehearsalId], REHEARSAL_ID, `${type} launched untagged`);
      }
      const plan = only(resourcesOf(s, 'aws_backup_plan'), 'backup plan')[1];
      assert.equal(plan.rule[0].recovery_point_tags[TAG.rehearsalId], REHEARSAL_ID);
    });
  }

  test('createdAt, when given, is tagged for the reaper', () => {
    assert.equal(synth.cert.provider.aws![0]!.default_tags[0].tags[TAG.createdAt], withCertificate.createdAt);
    assert.equal(synth.plain.provider.aws![0]!.default_tags[0].tags[TAG.createdAt], undefined);
  });

  test('outputs name what the collector needs', () => {
    for (const name of ['asg_name', 'alb_arn_suffix', 'target_group_arn_suffix', 'db_cluster_id', 'cache_member_ids', 'site_url']) {
      assert.ok(synth.cert.output?.[name], `no output ${name}`);
    }
    assert.deepEqual(synth.cert.output!.cache_member_ids!.value, [`rehearse-${REHEARSAL_ID}-001`, `rehearse-${REHEARSAL_ID}-002`]);
    assert.equal(synth.cert.output!.site_url!.value, 'https://shop.example.com');
  });
});
