// WordPress's own database user, synthesized: the app never holds the master credentials; a
// one-shot, locked-down bootstrap instance is the only reader of the master secret; the app
// password is generated at deploy and written write-only; the SQL grants only WordPress's needs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { parseStackConfig } from '../config/stack-config.ts';
import { appPolicy, only, resourcesOf, synthBothStores, withoutCertificate, type Synth } from '../testing/fixtures.ts';
import { databaseUserScript, WORDPRESS_GRANTS } from './database-user.ts';

const { both } = synthBothStores();
const masterSecret = (s: Synth) =>
  `\${aws_rds_cluster.${only(resourcesOf(s, 'aws_rds_cluster'), 'cluster')[0]}.master_user_secret[0].secret_arn}`;
const policyReaches = (s: Synth, roleResource: string, value: string) =>
  resourcesOf(s, 'aws_iam_role_policy')
    .filter(([n]) => n.startsWith(roleResource))
    .some(([, p]) => p.policy.includes(value));

describe('database user', () => {
  for (const [kind, s] of both) {
    test(`${kind}: no master-user credentials in the app's environment`, () => {
      const secret = masterSecret(s);
      assert.ok(!JSON.stringify(appPolicy(s)).includes('secretsmanager'), 'the app role reaches Secrets Manager');
      assert.ok(!policyReaches(s, 'app_', secret));
      const appUserData = Object.entries(s.locals ?? {}).find(([k]) => k.startsWith('app_app_user_data'))![1];
      assert.ok(
        !appUserData.includes(secret) && !appUserData.includes('master_user_secret'),
        'the app user data names the master secret',
      );
      // The one role that may read it is the bootstrap's.
      const readers = resourcesOf(s, 'aws_iam_role_policy')
        .filter(([, p]) => p.policy.includes(secret))
        .map(([n]) => n);
      assert.equal(readers.length, 1);
      assert.match(readers[0]!, /^database-user_policy_/);
    });

    test(`${kind}: the app password is generated at deploy and written write-only; the app may read it`, () => {
      const [name, param] = only(
        resourcesOf(s, 'aws_ssm_parameter').filter(([, p]) => /wordpress-db-password$/.test(p.name)),
        'password',
      );
      assert.equal(param.type, 'SecureString');
      assert.equal(param.value, undefined);
      assert.match(param.value_wo, /^\$\{ephemeral\.aws_secretsmanager_random_password\.\w+\.random_password\}$/);
      const reads = appPolicy(s).filter((st) => [st.Resource].flat().includes(`\${aws_ssm_parameter.${name}.arn}`));
      assert.deepEqual(
        reads.map((st) => st.Action),
        ['ssm:GetParameter'],
      );
    });

    test(`${kind}: the bootstrap instance is private, IMDSv2-only, encrypted, and terminates itself`, () => {
      const instance = only(resourcesOf(s, 'aws_instance'), 'bootstrap instance')[1];
      assert.equal(instance.associate_public_ip_address, false);
      assert.equal(instance.instance_initiated_shutdown_behavior, 'terminate');
      assert.equal(instance.metadata_options.http_tokens, 'required');
      assert.equal(instance.root_block_device.encrypted, true);
      assert.equal(instance.key_name, undefined);
      const privateSubnets = resourcesOf(s, 'aws_subnet')
        .filter(([, b]) => b.tags.tier === 'private')
        .map(([n]) => `\${aws_subnet.${n}.id}`);
      assert.ok(privateSubnets.includes(instance.subnet_id));
    });
  }

  test('the config refuses an app user that is the master user', () => {
    assert.throws(
      () => parseStackConfig({ ...withoutCertificate, database: { appUsername: 'wp_admin' } }),
      /database.appUsername must differ from masterUsername/,
    );
  });
});

describe('database user script', () => {
  const input = {
    region: 'eu-west-1',
    host: 'rehearse-x.cluster-abc.eu-west-1.rds.amazonaws.com',
    database: 'wordpress',
    username: 'wp_app',
    masterSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1',
    passwordParameter: '/rehearse/x/wordpress-db-password',
  };
  const script = databaseUserScript(input);

  test('is valid bash with no Terraform interpolation of its own', () => {
    execFileSync('bash', ['-n'], { input: script });
    assert.ok(!script.includes('${'));
  });

  test("grants only WordPress's schema privileges, requires TLS, and sends MySQL only the password hash", () => {
    assert.ok(script.includes(`GRANT ${WORDPRESS_GRANTS.join(', ')} ON wordpress.* TO 'wp_app'@'%';`));
    assert.ok(!/GRANT[^\n]*(ALL|SUPER|GRANT OPTION|\*\.\*)/.test(script));
    assert.match(
      script,
      /CREATE USER IF NOT EXISTS 'wp_app'@'%' IDENTIFIED WITH mysql_native_password AS '\$hash' REQUIRE SSL;/,
    );
    assert.match(script, /--ssl-ca=\/tmp\/rds-ca\.pem --ssl-verify-server-cert/);
    assert.match(script, /openssl sha1 -binary \| openssl sha1 \| awk '\{print toupper\(\$2\)\}'/);
    assert.match(script, /trap 'rm -f \/root\/\.my\.cnf; shutdown -h now' EXIT/);
  });

  test("its hash is MySQL's mysql_native_password hash", () => {
    const hash = execFileSync(
      'bash',
      ['-c', "printf abc | openssl sha1 -binary | openssl sha1 | awk '{print toupper($2)}'"],
      { encoding: 'utf8' },
    );
    assert.equal(`*${hash.trim()}`, '*0D3CED9BEC10A777AEC23CCC353A8C08A633045E'); // PASSWORD('abc') in MySQL 5.7
  });
});
