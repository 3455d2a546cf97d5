// Aurora, synthesized: writer and reader in two AZs, encrypted, RDS-managed password, and TLS
// required by the cluster parameter group (WordPress connects with TLS; see app-user-data.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { only, ref, resourcesOf, synthBothStores } from '../testing/fixtures.ts';

const { raw, both } = synthBothStores();

describe('database', () => {
  for (const [kind, s] of both) {
    test(`${kind}: Aurora has a writer and a reader in another AZ, retained backups, a managed password, encryption`, () => {
      assert.ok(
        Testing.toHaveResourceWithProperties(raw[kind], 'aws_rds_cluster', {
          engine: 'aurora-mysql',
          manage_master_user_password: true,
          storage_encrypted: true,
          backup_retention_period: 7,
        }),
      );
      assert.ok(only(resourcesOf(s, 'aws_rds_cluster'), 'cluster')[1].kms_key_id);
      const instances = resourcesOf(s, 'aws_rds_cluster_instance').map(([, i]) => i);
      assert.equal(instances.length, 2);
      assert.notEqual(instances[0]!.availability_zone, instances[1]!.availability_zone);
      assert.deepEqual(instances.map((i) => i.promotion_tier).sort(), [0, 1]);
      for (const i of instances) assert.equal(i.publicly_accessible, false);
    });

    test(`${kind}: the cluster's parameter group requires TLS (require_secure_transport)`, () => {
      const cluster = only(resourcesOf(s, 'aws_rds_cluster'), 'cluster')[1];
      const [groupName, group] = only(resourcesOf(s, 'aws_rds_cluster_parameter_group'), 'cluster parameter group');
      assert.equal(cluster.db_cluster_parameter_group_name, ref('aws_rds_cluster_parameter_group', groupName, 'name'));
      assert.deepEqual(
        group.parameter.filter((p: { name: string }) => p.name === 'require_secure_transport'),
        [{ name: 'require_secure_transport', value: 'ON' }],
      );
    });
  }
});
