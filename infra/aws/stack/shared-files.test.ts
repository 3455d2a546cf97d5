// EFS for uploads, synthesized: encrypted, elastic throughput, a mount target per AZ.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdktf';
import { only, resourcesOf, synthBothStores } from '../testing/fixtures.ts';

const { raw, both } = synthBothStores();

describe('shared files', () => {
  for (const [kind, s] of both) {
    test(`${kind}: EFS is encrypted, elastic, and has a mount target per AZ`, () => {
      assert.equal(resourcesOf(s, 'aws_efs_mount_target').length, kind === 'cert' ? 3 : 2);
      assert.equal(only(resourcesOf(s, 'aws_efs_file_system'), 'EFS')[1].encrypted, true);
      assert.ok(Testing.toHaveResourceWithProperties(raw[kind], 'aws_efs_file_system', { throughput_mode: 'elastic' }));
    });
  }
});
