// Redis, synthesized: multi-AZ with automatic failover, encrypted at rest and TLS-only in transit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { only, resourcesOf, synthBothStores } from '../testing/fixtures.ts';

const { raw, both } = synthBothStores();

describe('cache', () => {
  for (const [kind, s] of both) {
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
  }
});
