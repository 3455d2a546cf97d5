// Stack-wide invariants of the synthesized WordPress stack (the Terraform JSON is the contract):
// no secret anywhere, every resource tagged, the account pinned, the state backend, the outputs.
// Each construct's own invariants are tested beside it (network.test.ts, database.test.ts, …).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { TAG } from '../config/common.ts';
import { parseStackConfig } from '../config/stack-config.ts';
import { tempDir } from '../../../test-support/temp-dir.ts';
import {
  ACCOUNT_ID,
  only,
  REHEARSAL_ID,
  resourcesOf,
  strings,
  keys,
  synthBothStores,
  withCertificate,
  withoutCertificate,
} from '../testing/fixtures.ts';
import { WordPressStack } from './wordpress-stack.ts';

const { synth, both } = synthBothStores();

describe('account and state', () => {
  for (const [kind, s] of both) {
    test(`${kind}: the provider refuses any account but the configured one; state is a local file beside the stack`, () => {
      for (const provider of s.provider.aws!) assert.deepEqual(provider.allowed_account_ids, [ACCOUNT_ID]);
      assert.deepEqual((s as unknown as { terraform: { backend: unknown } }).terraform.backend, {
        local: { path: 'terraform.tfstate' },
      });
    });
  }

  test('an S3 state backend locks with S3 itself (use_lockfile), encrypts, and is pinned to its account', () => {
    const app = Testing.app({ outdir: tempDir('cdktf.outdir.') });
    const stack = new WordPressStack(app, 'rehearse-x-store', parseStackConfig(withoutCertificate), {
      backend: 's3',
      bucket: 'acme-terraform-state',
      region: 'eu-central-1',
      keyPrefix: 'rehearse/',
      accountId: '210987654321',
    });
    const json = JSON.parse(Testing.synth(stack));
    assert.deepEqual(json.terraform.backend, {
      s3: {
        bucket: 'acme-terraform-state',
        key: `rehearse/${REHEARSAL_ID}/rehearse-x-store.tfstate`,
        region: 'eu-central-1',
        encrypt: true,
        allowed_account_ids: ['210987654321'],
        use_lockfile: true,
      },
    });
  });
});

describe('secrets and tags', () => {
  for (const [kind, s] of both) {
    test(`${kind}: no secret in the synthesized JSON`, () => {
      const allKeys = new Set(keys(s));
      for (const k of [
        'master_password',
        'master_password_wo',
        'auth_token',
        'password',
        'secret_string',
        'key_name',
      ]) {
        assert.ok(!allKeys.has(k), `synth sets "${k}"`);
      }
      assert.equal(s.resource.aws_secretsmanager_secret_version, undefined);
      // Write-only values (salts, the app's DB password) are computed by Terraform from ephemeral
      // resources, never literals; every other value of the synth is checked below.
      const params = resourcesOf(s, 'aws_ssm_parameter').map(([, p]) => p);
      assert.equal(params.length, 2);
      for (const p of params) {
        assert.equal(p.value, undefined);
        const fromEphemeral =
          /^\$\{(?:jsonencode\(\{(?:\w+ = substr\(ephemeral\.[\w.]+, \d+, 64\)(?:, )?)+\}\)|ephemeral\.[\w.]+)\}$/;
        assert.match(p.value_wo, fromEphemeral);
      }
      const looksSecret = [
        /AKIA[0-9A-Z]{16}/, // access key id
        /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
        /(?:password|passwd|secret|token|api[_-]?key)["']?\s*(?:[:=]|=>)\s*["'][^"'$\s]{6,}["']/i, // a quoted literal assigned to a secret name
      ];
      // An AWS secret access key: 40 base64 characters mixing digits and both cases (paths and names do not).
      const secretKeyShape = (v: string) =>
        (v.match(/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g) ?? []).some(
          (run) => /\d/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run),
        );
      for (const [path, value] of strings(s)) {
        for (const pattern of looksSecret)
          assert.ok(!pattern.test(value), `${path.join('.')} looks like a secret (${pattern})`);
        assert.ok(!secretKeyShape(value), `${path.join('.')} holds a string shaped like an AWS secret key`);
      }
    });

    test(`${kind}: every resource carries the rehearsal id tag, including what the ASG launches`, () => {
      for (const provider of s.provider.aws!)
        assert.equal(provider.default_tags[0].tags[TAG.rehearsalId], REHEARSAL_ID);
      // Nothing overrides the tag with another value.
      for (const [path, value] of strings(s.resource)) {
        if (path.at(-1) === TAG.rehearsalId) assert.equal(value, REHEARSAL_ID, path.join('.'));
      }
      const asg = only(resourcesOf(s, 'aws_autoscaling_group'), 'ASG')[1];
      assert.ok(
        asg.tag.some(
          (t: any) => t.key === TAG.rehearsalId && t.value === REHEARSAL_ID && t.propagate_at_launch === true,
        ),
      );
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
    for (const name of [
      'asg_name',
      'alb_arn_suffix',
      'target_group_arn_suffix',
      'db_cluster_id',
      'cache_member_ids',
      'site_url',
    ]) {
      assert.ok(synth.cert.output?.[name], `no output ${name}`);
    }
    assert.deepEqual(synth.cert.output!.cache_member_ids!.value, [
      `rehearse-${REHEARSAL_ID}-001`,
      `rehearse-${REHEARSAL_ID}-002`,
    ]);
  });
});
