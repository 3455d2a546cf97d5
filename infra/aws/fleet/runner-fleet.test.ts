// The runner fleet's synthesized JSON, and the runner role's IAM policy limited to its run prefix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { TAG } from '../config/common.ts';
import { ACCOUNT_ID, fleet, only, REHEARSAL_ID, resourcesOf, synthFleet, type Synth } from '../testing/fixtures.ts';
import { runnerPolicyStatements } from './runner-policy.ts';
import { WAIT_FOR_RUN_S } from './runner-user-data.ts';
import type { Statement } from '../stack/policy.ts';

const raw = {
  home: synthFleet(fleet, 'eu-west-1'),
  other: synthFleet(fleet, 'us-east-1'),
  onDemand: synthFleet({ ...fleet, purchase: 'on-demand' }, 'eu-west-1'),
};
const home: Synth = JSON.parse(raw.home);
const other: Synth = JSON.parse(raw.other);
const pinnedK6 = /go\.k6\.io\/k6\/v2 (v\d+\.\d+\.\d+)/.exec(
  readFileSync(new URL('../../../tools/k6/go.mod', import.meta.url), 'utf8'),
)![1]!;
const runArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

function policyOf(s: Synth): Statement[] {
  const [, policy] = resourcesOf(s, 'aws_iam_role_policy').find(([n]) => n.includes('run-prefix'))!;
  return JSON.parse(policy.policy).Statement;
}

describe('runner role: only its run prefix', () => {
  const statements = runnerPolicyStatements({
    partition: 'aws',
    accountId: '123456789012',
    bucketName: 'runs-bucket',
    bucketRegion: 'eu-west-1',
    rehearsalId: 'bf-2026',
  });

  test('reads only runs/<id>/*, lists only with that prefix, writes only claims and results, deletes nothing', () => {
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
    const run = `${runArn('runs-bucket')}/runs/bf-2026`;
    for (const st of s3) {
      for (const action of [st.Action].flat()) {
        assert.ok(!action.includes('*'), `wildcard action ${action}`);
        assert.ok(
          !/Delete|PutBucket|PutObjectAcl|Policy/.test(action),
          `${action} is not needed to read a plan and write results`,
        );
      }
    }
    const allowed = (action: string) =>
      s3.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat());
    assert.deepEqual(allowed('s3:GetObject'), [`${run}/*`]);
    assert.deepEqual(allowed('s3:ListBucket'), [runArn('runs-bucket')]);
    assert.deepEqual(s3.find((s) => [s.Action].flat().includes('s3:ListBucket'))!.Condition, {
      StringLike: { 's3:prefix': ['runs/bf-2026/*', 'runs/bf-2026/'] },
    });
    assert.deepEqual(allowed('s3:PutObject'), [`${run}/*/claims/*`, `${run}/*/runners/*`]);
    const actions = [...new Set(s3.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()))].sort();
    assert.deepEqual(actions, [
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:ListBucket',
      's3:ListMultipartUploadParts',
      's3:PutObject',
    ]);
  });

  test('what runners execute or obey is never writable by a runner, even where a write pattern would match', () => {
    const run = `${runArn('runs-bucket')}/runs/bf-2026`;
    const deny = only(
      statements.filter((s) => s.Effect === 'Deny'),
      'deny statement',
    );
    assert.deepEqual([deny.Action].flat().sort(), [
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
      's3:PutObject',
    ]);
    // IAM's "*" spans "/": check the keys the controller writes against both lists as IAM would.
    const matches = (pattern: string, key: string) =>
      new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(key);
    const canWrite = (key: string) =>
      [allowedWrites()].flat().some((p) => matches(p, key)) && ![deny.Resource].flat().some((p) => matches(p!, key));
    const allowedWrites = () =>
      statements
        .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'))
        .flatMap((s) => [s.Resource].flat()) as string[];
    for (const key of [
      'agent/rehearse.tgz',
      'agent/runners/x',
      'current-run.json',
      'p1/plan.json',
      'p1/manifest.json',
      'p1/stop.json',
      'p1/runners/plan.json',
    ]) {
      assert.ok(!canWrite(`${run}/${key}`), `a runner could write ${key}`);
    }
    for (const key of [
      'p1/claims/0.json',
      'p1/runners/i-0abc/chunks/000001-ab.csv',
      'p1/runners/i-0abc/done.json',
      'p1/runners/i-0abc/k6.log',
    ]) {
      assert.ok(canWrite(`${run}/${key}`), `a runner could not write ${key}`);
    }
  });

  test('KMS use is limited to S3 on this bucket', () => {
    const kms = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('kms:')));
    assert.equal(kms.length, 1);
    assert.deepEqual(kms[0]!.Condition!.StringEquals, { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' });
    assert.deepEqual(kms[0]!.Condition!.StringLike, {
      'kms:EncryptionContext:aws:s3:arn': [runArn('runs-bucket'), `${runArn('runs-bucket')}/runs/bf-2026/*`],
    });
    assert.deepEqual([kms[0]!.Action].flat().sort(), ['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('the synthesized role carries exactly that policy (for the bucket in the first region)', () => {
    for (const s of [home, other]) {
      const synthesized = policyOf(s);
      const bucket = /^arn:\$\{data\.aws_partition\.[^}]+\}:s3:::(rehearse-[^/]+-runs)$/.exec(
        synthesized.find((st) => st.Sid === 'ListOwnRun')!.Resource as string,
      );
      assert.ok(bucket, 'list statement names the runs bucket');
      assert.equal(
        bucket[1],
        `rehearse-${REHEARSAL_ID}-${ACCOUNT_ID}-runs`,
        'named for the configured account, known before apply',
      );
      const objects = synthesized.find((st) => st.Sid === 'ReadOwnRun')!.Resource as string;
      assert.ok(objects.endsWith(`/runs/${REHEARSAL_ID}/*`), objects);
      assert.equal(synthesized.filter((st) => st.Effect === 'Deny').length, 1);
      assert.match(
        synthesized.find((st) => st.Sid === 'BucketKeyViaS3')!.Condition!.StringEquals!['kms:ViaService'] as string,
        /^s3\.eu-west-1\./,
      );
    }
  });
});

describe('runner fleet stack', () => {
  test('the first region owns the bucket: encrypted, private, expiring; others only point at it', () => {
    assert.equal(resourcesOf(home, 'aws_s3_bucket').length, 1);
    assert.equal(other.resource.aws_s3_bucket, undefined);
    assert.ok(
      Testing.toHaveResourceWithProperties(raw.home, 'aws_s3_bucket_server_side_encryption_configuration', {
        rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true }],
      }),
    );
    assert.ok(
      Testing.toHaveResourceWithProperties(raw.home, 'aws_s3_bucket_public_access_block', {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      }),
    );
    const [, lifecycle] = resourcesOf(home, 'aws_s3_bucket_lifecycle_configuration')[0]!;
    assert.equal(lifecycle.rule[0].expiration[0].days, 30);
    assert.equal(home.output!.store_url!.value, other.output!.store_url!.value);
  });

  test('spot by default through a mixed instances policy; on-demand as an option', () => {
    const asg = (s: Synth) => resourcesOf(s, 'aws_autoscaling_group')[0]![1];
    const spot = asg(home).mixed_instances_policy;
    assert.equal(spot.instances_distribution.on_demand_percentage_above_base_capacity, 0);
    assert.equal(spot.instances_distribution.spot_allocation_strategy, 'price-capacity-optimized');
    assert.deepEqual(
      spot.launch_template.override.map((o: { instance_type: string }) => o.instance_type),
      ['c7g.xlarge', 'c6g.xlarge', 'm7g.xlarge'],
    );
    assert.equal(asg(home).capacity_rebalance, true);
    const onDemand = asg(JSON.parse(raw.onDemand));
    assert.equal(onDemand.mixed_instances_policy.instances_distribution.on_demand_percentage_above_base_capacity, 100);
    assert.equal(onDemand.capacity_rebalance, false);
  });

  test('the group rests at 0 runners, up to runnersPerRegion; a run sets the desired capacity, which terraform then leaves alone', () => {
    const asg = resourcesOf(home, 'aws_autoscaling_group')[0]![1];
    assert.deepEqual([asg.min_size, asg.desired_capacity, asg.max_size], [0, 0, 3]);
    assert.deepEqual(asg.lifecycle.ignore_changes, ['desired_capacity']);
    assert.equal(
      home.output!.runner_asg_name!.value,
      `\${aws_autoscaling_group.${resourcesOf(home, 'aws_autoscaling_group')[0]![0]}.name}`,
    );
  });

  test('runners take no inbound traffic, need no NAT, and require IMDSv2', () => {
    for (const s of [home, other]) {
      assert.equal(s.resource.aws_vpc_security_group_ingress_rule, undefined);
      assert.equal(s.resource.aws_nat_gateway, undefined);
      const [, lt] = resourcesOf(s, 'aws_launch_template')[0]!;
      assert.equal(lt.metadata_options.http_tokens, 'required');
      assert.equal(lt.key_name, undefined);
      assert.equal(lt.network_interfaces[0].associate_public_ip_address, 'true');
      assert.ok(
        lt.tag_specifications.every((t: { tags: Record<string, string> }) => t.tags[TAG.rehearsalId] === REHEARSAL_ID),
      );
      assert.equal(s.provider.aws![0]!.default_tags[0].tags[TAG.rehearsalId], REHEARSAL_ID);
    }
  });

  test('user data installs the k6 pinned in tools/k6/go.mod and starts the agent on the run prefix', () => {
    const userData = Object.values(other.locals!)[0]!;
    execFileSync('bash', ['-n'], { input: userData });
    assert.ok(userData.includes(`releases/download/${pinnedK6}/`), `k6 ${pinnedK6}`);
    assert.ok(userData.includes(`go install go.k6.io/k6/v2@${pinnedK6}`));
    assert.ok(userData.includes(`grep -q 'k6 ${pinnedK6}'`));
    assert.match(userData, /sha256sum -c -/);
    assert.match(
      userData,
      new RegExp(
        `ExecStart=/usr/bin/env node --import tsx /opt/rehearse/cli/agent-main\\.ts --store s3://rehearse-${REHEARSAL_ID}-${ACCOUNT_ID}-runs/runs/${REHEARSAL_ID} --wait-for-run ${WAIT_FOR_RUN_S}\\n`,
      ),
    );
    assert.doesNotMatch(userData, /^ExecStart=.*npx/m, 'npx would resolve "rehearse" through the registry');
    assert.match(
      userData,
      /npm ci --omit=dev --ignore-scripts/,
      "exactly the bundle's npm-shrinkwrap.json, no install scripts",
    );
    assert.match(userData, /^RestartPreventExitStatus=2 130$/m);
    assert.match(userData, /AWS_DEFAULT_REGION='eu-west-1'/, 'the bucket region, not the runner region');
  });
});
