// Backups, synthesized: AWS Backup covers Aurora and EFS; uploads go to a versioned, private,
// expiring bucket. Ephemeral by default (everything goes with the stack, and the stack says so);
// with backups.keep a final snapshot is taken and neither vault nor bucket is force-destroyed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import {
  only,
  ref,
  resourcesOf,
  synthBothStores,
  synthStore,
  withoutCertificate,
  type Synth,
} from '../testing/fixtures.ts';

const { raw, both } = synthBothStores();
const kept: Synth = JSON.parse(synthStore({ ...withoutCertificate, backups: { keep: true } }));
const backupBucket = (s: Synth) =>
  only(
    resourcesOf(s, 'aws_s3_bucket').filter(([n]) => n.startsWith('backups_')),
    'backup bucket',
  );

describe('backups', () => {
  for (const [kind, s] of both) {
    test(`${kind}: AWS Backup covers Aurora and EFS; the backup bucket is versioned, private, KMS-encrypted, logged and expires`, () => {
      const plan = only(resourcesOf(s, 'aws_backup_plan'), 'backup plan');
      const selection = only(resourcesOf(s, 'aws_backup_selection'), 'backup selection')[1];
      assert.equal(selection.plan_id, ref('aws_backup_plan', plan[0]));
      const [cluster] = only(resourcesOf(s, 'aws_rds_cluster'), 'cluster');
      const [efs] = only(resourcesOf(s, 'aws_efs_file_system'), 'EFS');
      assert.deepEqual(
        new Set(selection.resources),
        new Set([ref('aws_rds_cluster', cluster, 'arn'), ref('aws_efs_file_system', efs, 'arn')]),
      );
      assert.ok(plan[1].rule[0].lifecycle.delete_after >= 1);
      const [bucket] = backupBucket(s);
      const of = (type: string) =>
        only(
          resourcesOf(s, type).filter(([, r]) => r.bucket === ref('aws_s3_bucket', bucket)),
          `${type} of the backup bucket`,
        )[1];
      assert.deepEqual(of('aws_s3_bucket_versioning').versioning_configuration, { status: 'Enabled' });
      assert.ok(
        Testing.toHaveResourceWithProperties(raw[kind], 'aws_s3_bucket_public_access_block', {
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
        }),
      );
      assert.equal(
        of('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default
          .sse_algorithm,
        'aws:kms',
      );
      const rule = of('aws_s3_bucket_lifecycle_configuration').rule[0];
      assert.deepEqual(
        rule.transition.map((t: { storage_class: string }) => t.storage_class),
        ['STANDARD_IA', 'GLACIER_IR'],
      );
      assert.equal(rule.expiration[0].days, 365);
      assert.match(of('aws_s3_bucket_logging').target_bucket, /^\$\{aws_s3_bucket\.access-logs_/);
    });

    test(`${kind}: ephemeral by default, and the stack says so`, () => {
      assert.equal(only(resourcesOf(s, 'aws_backup_vault'), 'vault')[1].force_destroy, true);
      assert.equal(only(resourcesOf(s, 'aws_rds_cluster'), 'cluster')[1].skip_final_snapshot, true);
      assert.equal(backupBucket(s)[1].force_destroy, true);
      assert.match(
        String(s.output!.lifetime!.value),
        /^ephemeral: destroying the stack deletes its data and its backups/,
      );
    });
  }

  test('backups.keep: a final snapshot, and a vault and bucket that outlive the stack', () => {
    const cluster = only(resourcesOf(kept, 'aws_rds_cluster'), 'cluster')[1];
    assert.equal(cluster.skip_final_snapshot, false);
    assert.match(cluster.final_snapshot_identifier, /-final$/);
    assert.equal(only(resourcesOf(kept, 'aws_backup_vault'), 'vault')[1].force_destroy, false);
    assert.equal(backupBucket(kept)[1].force_destroy, false);
    assert.match(String(kept.output!.lifetime!.value), /^long-lived backups/);
  });
});
