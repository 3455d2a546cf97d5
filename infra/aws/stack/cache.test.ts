// Redis, synthesized: multi-AZ with automatic failover, encrypted at rest and TLS-only in transit,
// RBAC with the default user disabled and WordPress's own IAM-authenticated user: no password
// or token anywhere in the synth.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import {
  appPolicy,
  keys,
  only,
  ref,
  REHEARSAL_ID,
  resourcesOf,
  strings,
  synthBothStores,
} from '../testing/fixtures.ts';
import { REDIS_CREDENTIAL_FILE, redisKeyPrefix } from './app-user-data.ts';
import { appAccessString } from './cache.ts';

const { raw, both } = synthBothStores();

describe('cache', () => {
  for (const [kind, s] of both) {
    const users = () => resourcesOf(s, 'aws_elasticache_user');
    const userNamed = (userName: string) =>
      only(
        users().filter(([, u]) => u.user_name === userName),
        `Redis user ${userName}`,
      );

    test(`${kind}: Redis is multi-AZ with automatic failover`, () => {
      assert.ok(
        Testing.toHaveResourceWithProperties(raw[kind], 'aws_elasticache_replication_group', {
          multi_az_enabled: true,
          automatic_failover_enabled: true,
          num_cache_clusters: 2,
        }),
      );
    });

    test(`${kind}: Redis is encrypted at rest and accepts TLS only`, () => {
      const redis = only(resourcesOf(s, 'aws_elasticache_replication_group'), 'Redis')[1];
      assert.equal(redis.at_rest_encryption_enabled, 'true');
      assert.ok(redis.kms_key_id);
      assert.equal(redis.transit_encryption_enabled, true);
      assert.equal(redis.transit_encryption_mode, 'required');
    });

    test(`${kind}: an RBAC user group is attached, holding a disabled default user and the app user only`, () => {
      const redis = only(resourcesOf(s, 'aws_elasticache_replication_group'), 'Redis')[1];
      const [groupName, group] = only(resourcesOf(s, 'aws_elasticache_user_group'), 'user group');
      assert.deepEqual(redis.user_group_ids, [ref('aws_elasticache_user_group', groupName, 'user_group_id')]);
      assert.equal(redis.auth_token, undefined);
      const [defaultName] = userNamed('default');
      const [appName] = userNamed(`rehearse-${REHEARSAL_ID}-app`);
      assert.equal(users().length, 2);
      assert.deepEqual(
        [...group.user_ids].sort(),
        [ref('aws_elasticache_user', defaultName, 'user_id'), ref('aws_elasticache_user', appName, 'user_id')].sort(),
      );
    });

    test(`${kind}: the default user is off and may run nothing`, () => {
      const [, user] = userNamed('default');
      assert.match(user.access_string, /^off -@all$/);
      assert.notEqual(user.user_id, 'default', "ElastiCache's own default user (on, every command) is replaced");
      assert.deepEqual(user.authentication_mode, { type: 'no-password-required' });
    });

    test(`${kind}: WordPress's user authenticates with IAM, only on its own keys and without admin commands`, () => {
      const [, user] = userNamed(`rehearse-${REHEARSAL_ID}-app`);
      assert.equal(user.user_id, user.user_name, 'IAM authentication needs user id = user name');
      assert.deepEqual(user.authentication_mode, { type: 'iam' });
      const rules = user.access_string.split(' ');
      assert.deepEqual(rules.slice(0, 3), ['on', `~${redisKeyPrefix(REHEARSAL_ID)}*`, '-@all']);
      assert.equal(rules.filter((r: string) => r.startsWith('~') || r.startsWith('%')).length, 1, 'one key pattern');
      for (const broad of ['+@all', 'allcommands', '~*', 'allkeys', '+@dangerous', '+@admin', '+@scripting'])
        assert.ok(!rules.includes(broad), `grants ${broad}`);
      assert.ok(rules.indexOf('-@dangerous') > rules.indexOf('+@write'), 'the dangerous part of @write is taken back');
    });

    test(`${kind}: only the app role may connect, as that user, to this Redis`, () => {
      const [groupName] = only(resourcesOf(s, 'aws_elasticache_replication_group'), 'Redis');
      const [appName] = userNamed(`rehearse-${REHEARSAL_ID}-app`);
      const connect = appPolicy(s).filter((st) => [st.Action].flat().some((a) => a.startsWith('elasticache:')));
      assert.deepEqual(
        connect.map((st) => [st.Action].flat()),
        [['elasticache:Connect']],
      );
      assert.deepEqual(
        [connect[0]!.Resource].flat().sort(),
        [
          ref('aws_elasticache_replication_group', groupName, 'arn'),
          ref('aws_elasticache_user', appName, 'arn'),
        ].sort(),
      );
    });

    test(`${kind}: no Redis password or token in the synth: nothing to leak from the JSON or the state`, () => {
      const all = new Set(keys(s));
      for (const k of ['passwords', 'auth_token', 'auth_token_wo', 'auth_token_update_strategy'])
        assert.ok(!all.has(k), `synth sets "${k}"`);
      // An IAM auth token is a presigned URL; none may be baked into anything.
      for (const [path, value] of strings(s))
        assert.doesNotMatch(value, /X-Amz-Signature=|X-Amz-Credential=/, path.join('.'));
    });

    test(`${kind}: the app reads its Redis credential at boot, and connects with TLS as its own user`, () => {
      const userData = Object.entries(s.locals ?? {}).find(([k]) => k.includes('app_user_data'))![1];
      // The token helper is told this stack's group and user; wp-config reads what it writes.
      assert.ok(
        userData.includes(
          `rehearse-redis-token.py 'rehearse-${REHEARSAL_ID}' 'rehearse-${REHEARSAL_ID}-app' '${s.provider.aws![0]!.region}'`,
        ),
      );
      assert.ok(userData.includes(`$rehearse_redis = require '${REDIS_CREDENTIAL_FILE}';`));
      assert.ok(userData.includes("define('WP_REDIS_SCHEME', 'tls');"));
      assert.ok(
        userData.includes("define('WP_REDIS_PASSWORD', [$rehearse_redis['user'], $rehearse_redis['password']]);"),
      );
      assert.ok(userData.includes(`define('WP_REDIS_PREFIX', '${redisKeyPrefix(REHEARSAL_ID)}');`));
    });
  }
});

test('the key prefix must be a plain name ending in ":" (a "*" would open every key)', () => {
  assert.match(appAccessString('bf-2026:'), /^on ~bf-2026:\* /);
  for (const bad of ['bf-2026', '*:', 'bf 2026:', 'a:*:'])
    assert.throws(() => appAccessString(bad), /must be a-z, 0-9, - and end with ":"/, bad);
});
