// The app tier, synthesized: hardened launch template, target-tracking ASG, scheduled actions,
// an instance role that reads its secrets but writes none, salts written at deploy without ever
// entering the synth or the state, and nginx's access log shipped to a short-lived log group.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { appPolicy, only, ref, resourcesOf, synthBothStores } from '../testing/fixtures.ts';
import { ACCESS_LOG_RETENTION_DAYS } from './access-logs.ts';
import { SALT_NAMES } from '../../wordpress-salts.ts';

const { raw, synth, both } = synthBothStores();

describe('app tier', () => {
  for (const [kind, s] of both) {
    test(`${kind}: launch template requires IMDSv2, monitors in detail, encrypts its disk, uses an SSM instance profile`, () => {
      assert.ok(
        Testing.toHaveResourceWithProperties(raw[kind], 'aws_launch_template', {
          metadata_options: { http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 },
          monitoring: { enabled: true },
        }),
      );
      for (const bd of only(resourcesOf(s, 'aws_launch_template'), 'launch template')[1].block_device_mappings)
        assert.equal(bd.ebs.encrypted, 'true');
      const attachments = resourcesOf(s, 'aws_iam_role_policy_attachment').map(([, a]) => a.policy_arn as string);
      assert.ok(attachments.some((a) => a.endsWith(':iam::aws:policy/AmazonSSMManagedInstanceCore')));
    });

    test(`${kind}: ASG tracks CPU and requests per target, warms up, reports 1-minute group metrics`, () => {
      const [albName] = only(resourcesOf(s, 'aws_lb'), 'ALB');
      const [tgName] = only(resourcesOf(s, 'aws_lb_target_group'), 'target group');
      const policies = resourcesOf(s, 'aws_autoscaling_policy').map(([, p]) => p.target_tracking_configuration);
      const byType = (t: string) =>
        policies.find((p) => p.predefined_metric_specification.predefined_metric_type === t);
      assert.ok(byType('ASGAverageCPUUtilization'));
      assert.equal(
        byType('ALBRequestCountPerTarget')?.predefined_metric_specification.resource_label,
        `${ref('aws_lb', albName, 'arn_suffix')}/${ref('aws_lb_target_group', tgName, 'arn_suffix')}`,
      );
      const asg = only(resourcesOf(s, 'aws_autoscaling_group'), 'ASG')[1];
      assert.ok(asg.default_instance_warmup > 0);
      assert.equal(asg.metrics_granularity, '1Minute');
      for (const m of ['GroupDesiredCapacity', 'GroupPendingInstances', 'GroupInServiceInstances'])
        assert.ok(asg.enabled_metrics.includes(m), m);
      assert.equal(asg.health_check_type, 'ELB');
      assert.deepEqual(asg.target_group_arns, [ref('aws_lb_target_group', tgName, 'arn')]);
    });

    test(`${kind}: the app role reads its parameters but may write none (no PutSecretValue, no ssm:PutParameter)`, () => {
      const actions = appPolicy(s).flatMap((st) => [st.Action].flat());
      for (const a of actions) assert.ok(!/^secretsmanager:|^ssm:(?!GetParameter$)/.test(a), `the app role may ${a}`);
      const params = resourcesOf(s, 'aws_ssm_parameter').map(([n]) => ref('aws_ssm_parameter', n, 'arn'));
      const reads = appPolicy(s).filter((st) => [st.Action].flat().includes('ssm:GetParameter'));
      assert.deepEqual(
        reads.flatMap((st) => [st.Resource].flat()).sort(),
        params.sort(),
        'the salts and its DB password',
      );
    });

    test(`${kind}: salts are generated at deploy and written through a write-only argument: no value in the synth or state`, () => {
      const param = only(
        resourcesOf(s, 'aws_ssm_parameter').filter(([, p]) => /wordpress-salts$/.test(p.name)),
        'salts parameter',
      )[1];
      assert.equal(param.type, 'SecureString');
      assert.ok(param.key_id, 'encrypted with the stack key');
      assert.equal(param.value, undefined, 'a plain value would sit in the state');
      assert.equal(param.value_wo_version, 1);
      const ephemeral = (s as unknown as { ephemeral: Record<string, Record<string, unknown>> }).ephemeral;
      const generator = Object.keys(ephemeral.aws_secretsmanager_random_password ?? {}).find((g) =>
        param.value_wo.includes(`ephemeral.aws_secretsmanager_random_password.${g}.`),
      );
      assert.ok(generator, 'an ephemeral random password resource');
      for (const [i, name] of SALT_NAMES.entries()) {
        assert.ok(
          param.value_wo.includes(
            `${name} = substr(ephemeral.aws_secretsmanager_random_password.${generator}.random_password, ${i * 64}, 64)`,
          ),
          name,
        );
      }
    });

    test(`${kind}: nginx's access log goes to a log group kept ${ACCESS_LOG_RETENTION_DAYS} days that only it may write`, () => {
      const [groupName, group] = only(
        resourcesOf(s, 'aws_cloudwatch_log_group').filter(([, g]) => /nginx-access$/.test(g.name)),
        'access log group',
      );
      assert.equal(group.retention_in_days, ACCESS_LOG_RETENTION_DAYS);
      assert.ok(group.kms_key_id);
      const ship = only(
        appPolicy(s).filter((st) => [st.Action].flat().includes('logs:PutLogEvents')),
        'log shipping statement',
      );
      assert.equal(ship.Resource, `${ref('aws_cloudwatch_log_group', groupName, 'arn')}:*`);
      const userData = Object.entries(s.locals ?? {}).find(([k]) => k.includes('app_user_data'))?.[1] ?? '';
      assert.ok(userData.includes(`"log_group_name":"${group.name}"`), 'the agent ships to that group');
    });
  }

  test('scheduled actions come from the config', () => {
    const schedules = resourcesOf(synth.cert, 'aws_autoscaling_schedule').map(([, a]) => a);
    assert.deepEqual(
      schedules.map((a) => [a.scheduled_action_name, a.min_size, a.max_size, a.desired_capacity]),
      [
        ['doorbuster-prewarm', 8, 20, 10],
        ['evening-peak', 4, 16, 6],
      ],
    );
    assert.equal(schedules[1]!.recurrence, '0 18 * * *');
    assert.equal(schedules[1]!.time_zone, 'Europe/Dublin');
    assert.equal(synth.plain.resource.aws_autoscaling_schedule, undefined);
  });

  test('image: bootstrap reads the AL2023 parameter for the instance architecture; ami pins the id', () => {
    assert.ok(
      Testing.toHaveDataSourceWithProperties(raw.cert, 'aws_ssm_parameter', {
        name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
      }),
    );
    assert.ok(
      Testing.toHaveResourceWithProperties(raw.plain, 'aws_launch_template', {
        image_id: 'ami-0123456789abcdef0',
        instance_type: 'c7i.large',
      }),
    );
  });
});
