// The runner fleet's synthesized JSON, and the runner role's IAM policy limited to its run prefix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { TAG } from '../config/common.ts';
import { ACCOUNT_ID, fleet, only, REHEARSAL_ID, resourcesOf, synthFleet, type Synth } from '../testing/fixtures.ts';
import { runnerPolicyStatements } from './runner-policy.ts';
import { RUNNER_ENV_FILE, VERIFY_BUNDLE, WAIT_FOR_RUN_S } from './runner-user-data.ts';
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

function runPrefixPolicy(s: Synth): { role: string; policy: string } {
  const [, policy] = resourcesOf(s, 'aws_iam_role_policy').find(([n]) => n.includes('run-prefix'))!;
  return policy as { role: string; policy: string };
}

function policyOf(s: Synth): Statement[] {
  return JSON.parse(runPrefixPolicy(s).policy).Statement;
}

describe('runner role: only its run prefix', () => {
  const statements = runnerPolicyStatements({
    partition: 'aws',
    accountId: '123456789012',
    bucketName: 'runs-bucket',
    bucketRegion: 'eu-west-1',
    rehearsalId: 'bf-2026',
  });

  const run = `${runArn('runs-bucket')}/runs/bf-2026`;
  const ME = 'AROAEXAMPLEROLEID01:i-0aaaaaaaaaaaaaaaa';
  const OTHER = 'AROAEXAMPLEROLEID01:i-0bbbbbbbbbbbbbbbb';
  const WRITES = ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];

  test('reads only runs/<id>/*, lists only with that prefix, writes only its own results and new claims, deletes nothing', () => {
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
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
    // PutObject only on the caller's own results prefix (IAM substitutes ${aws:userid} per
    // request) and on claims; multipart only on its own results.
    assert.deepEqual(allowed('s3:PutObject'), [`${run}/*/runners/\${aws:userid}/*`, `${run}/*/claims/*`]);
    assert.deepEqual(allowed('s3:AbortMultipartUpload'), [`${run}/*/runners/\${aws:userid}/*`]);
    const actions = [...new Set(s3.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat()))].sort();
    assert.deepEqual(actions, [
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:ListBucket',
      's3:ListMultipartUploadParts',
      's3:PutObject',
    ]);
  });

  /** IAM's answer for one write by runner `userid`: an explicit Deny wins, else an Allow whose resource and conditions match. */
  function mayWrite(action: string, key: string, userid: string, ifNoneMatch: boolean): boolean {
    // IAM's "*" spans "/"; ${aws:userid} is the caller's "<role id>:<instance id>".
    const matches = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace('${aws:userid}', userid)
          .replace(/[.?+^$()|[\]{}\\]/g, '\\$&')
          .replace(/\*/g, '.*')}$`,
      ).test(`${run}/${key}`);
    const conditionHolds = (c: Statement['Condition']) =>
      Object.entries(c ?? {}).every(([op, kv]) => {
        assert.deepEqual(op, 'Null', `condition ${op} is not modelled here`);
        assert.deepEqual(Object.keys(kv), ['s3:if-none-match']);
        return ifNoneMatch === (kv['s3:if-none-match'] === 'false');
      });
    const applies = (s: Statement) =>
      [s.Action].flat().includes(action) && [s.Resource].flat().some((r) => matches(r!)) && conditionHolds(s.Condition);
    return (
      !statements.some((s) => s.Effect === 'Deny' && applies(s)) &&
      statements.some((s) => s.Effect === 'Allow' && applies(s))
    );
  }

  test("a runner writes its own results and creates claims, and never another runner's results, nor anything runners execute or obey", () => {
    for (const key of [
      `p1/runners/${ME}/chunks/000001-${'a'.repeat(64)}.csv`,
      `p1/runners/${ME}/done.json`,
      `p1/runners/${ME}/k6.log`,
      `20261125-104512-black-friday/runners/${ME}/done.json`,
    ]) {
      for (const action of WRITES) assert.ok(mayWrite(action, key, ME, false), `a runner could not ${action} ${key}`);
    }
    assert.ok(mayWrite('s3:PutObject', 'p1/claims/0.json', ME, true), 'a runner could not create a claim');
    assert.ok(
      !mayWrite('s3:PutObject', 'p1/claims/0.json', ME, false),
      'a claim written without If-None-Match could replace another',
    );
    assert.ok(!mayWrite('s3:AbortMultipartUpload', 'p1/claims/0.json', ME, true));

    const others = [
      // Another runner's results, its bare instance id, and this runner's own bare instance id.
      `p1/runners/${OTHER}/done.json`,
      `p1/runners/${OTHER}/k6.log`,
      `p1/runners/${OTHER}/chunks/000001-${'b'.repeat(64)}.csv`,
      'p1/runners/i-0bbbbbbbbbbbbbbbb/done.json',
      'p1/runners/i-0aaaaaaaaaaaaaaaa/done.json',
      // "*" spans "/": keys under another runner's prefix that end like this runner's own or a claim.
      `p1/runners/${OTHER}/runners/${ME}/done.json`,
      `p1/runners/${OTHER}/chunks/runners/${ME}/x`,
      `p1/runners/${OTHER}/claims/0.json`,
      // What runners execute or obey.
      'agent/rehearse.tgz',
      `agent/runners/${ME}/x`,
      'current-run.json',
      'p1/plan.json',
      'p1/manifest.json',
      'p1/stop.json',
      `p1/runners/${ME}/plan.json`,
      'p1/claims/plan.json',
    ];
    for (const key of others)
      for (const action of WRITES)
        for (const ifNoneMatch of [false, true])
          assert.ok(!mayWrite(action, key, ME, ifNoneMatch), `a runner could ${action} ${key}`);
    // The same keys from the other side: each runner is held to its own prefix.
    assert.ok(mayWrite('s3:PutObject', `p1/runners/${OTHER}/done.json`, OTHER, false));
    assert.ok(!mayWrite('s3:PutObject', `p1/runners/${ME}/done.json`, OTHER, false));
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
      assert.deepEqual(
        synthesized.filter((st) => st.Effect === 'Deny').map((st) => st.Sid),
        ['NeverWriteWhatRunnersExecute', 'NeverWriteUnderAnotherRunner'],
      );
      // Terraform would read "${aws:userid}" as its own interpolation: "$${" leaves IAM's variable to IAM.
      const own = synthesized.find((st) => st.Sid === 'WriteOwnResults')!.Resource as string;
      assert.ok(own.endsWith(`/runs/${REHEARSAL_ID}/*/runners/$\${aws:userid}/*`), own);
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
        `ExecStart=/usr/bin/env node --import tsx /opt/rehearse/cli/agent-main\\.ts --store s3://rehearse-${REHEARSAL_ID}-${ACCOUNT_ID}-runs/runs/${REHEARSAL_ID} --runner-name \\$REHEARSE_RUNNER --wait-for-run ${WAIT_FOR_RUN_S}\\n`,
      ),
    );
    assert.ok(userData.includes(`EnvironmentFile=${RUNNER_ENV_FILE}\n`));
    assert.doesNotMatch(userData, /^ExecStart=.*npx/m, 'npx would resolve "rehearse" through the registry');
    assert.match(
      userData,
      /npm ci --omit=dev --ignore-scripts/,
      "exactly the bundle's npm-shrinkwrap.json, no install scripts",
    );
    assert.match(userData, /^RestartPreventExitStatus=2 130$/m);
    assert.match(userData, /AWS_DEFAULT_REGION='eu-west-1'/, 'the bucket region, not the runner region');
  });
  test("each runner names itself as IAM names it, <runner role's unique id>:<instance id from IMDSv2>, the name its write access is bound to", () => {
    for (const s of [home, other]) {
      const userData = Object.values(s.locals!)[0]!;
      const { role, policy } = runPrefixPolicy(s);
      const roleName = /^\$\{aws_iam_role\.([^.}]+)\.id\}$/.exec(role)![1];
      assert.ok(policy.includes('/runners/$${aws:userid}/*'), 'writes bound to the caller');
      assert.doesNotMatch(policy, /(?<!\$)\$\{aws:/, 'every IAM variable escaped from Terraform');
      assert.ok(
        userData.includes(`runner='\${aws_iam_role.${roleName}.unique_id}':"$instance_id"\n`),
        "the runner's name starts with the unique id of the role the policy is attached to",
      );
      assert.match(userData, /curl -fsS -X PUT http:\/\/169\.254\.169\.254\/latest\/api\/token /, 'IMDSv2 token');
      assert.match(
        userData,
        /instance_id=\$\(curl -fsS -H "X-aws-ec2-metadata-token: \$imds_token" http:\/\/169\.254\.169\.254\/latest\/meta-data\/instance-id\)/,
      );
      assert.ok(userData.includes(`echo "REHEARSE_RUNNER=$runner" > ${RUNNER_ENV_FILE}\n`));
      // Terraform interpolates every other "${" in user data: the role's id must be the only one.
      assert.deepEqual(
        [...userData.matchAll(/\$\{[^}]*\}/g)].map((m) => m[0]),
        [`\${aws_iam_role.${roleName}.unique_id}`],
      );
    }
  });

  test('user data installs the agent bundle only after its SHA-256 matches the run pointer', () => {
    const userData = Object.values(other.locals!)[0]!;
    assert.ok(userData.includes(VERIFY_BUNDLE), 'the verify step (runner-user-data.test.ts) is in the script');
    const at = (text: string) => {
      const i = userData.indexOf(text);
      assert.ok(i >= 0, `user data lacks ${text}`);
      return i;
    };
    const pointer = at(
      `aws s3 cp 's3://rehearse-${REHEARSAL_ID}-${ACCOUNT_ID}-runs/runs/${REHEARSAL_ID}/current-run.json'`,
    );
    const bundle = at(
      `aws s3 cp 's3://rehearse-${REHEARSAL_ID}-${ACCOUNT_ID}-runs/runs/${REHEARSAL_ID}/agent/rehearse.tgz'`,
    );
    const verify = at('if ! verify_bundle /opt/rehearse/current-run.json /opt/rehearse/rehearse.tgz; then\n');
    assert.ok(pointer < verify && bundle < verify);
    for (const later of ['tar -xzf /opt/rehearse/rehearse.tgz', 'npm ci', 'systemctl enable'])
      assert.ok(verify < at(later), `${later} runs only after the check`);
  });
});
