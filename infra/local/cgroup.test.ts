import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  appCgroupName,
  cgroupPrefix,
  createAppCgroup,
  detectCgroups,
  listAppCgroups,
  parseV2UsageNs,
  quotaUs,
} from './cgroup.ts';

test('names are per state dir and quotas follow the share', () => {
  assert.match(appCgroupName('/tmp/a', 3), /^rehearse-[0-9a-f]{10}-app-3$/);
  assert.notEqual(cgroupPrefix('/tmp/a'), cgroupPrefix('/tmp/b'));
  assert.equal(quotaUs(0.4), 40_000);
  assert.equal(quotaUs(0.001), 1000);
  assert.equal(parseV2UsageNs('usage_usec 1500\nuser_usec 1000\n'), 1_500_000);
});

test('detects v1 (separate cpu and cpuacct), v2 and none from a fake /sys/fs/cgroup', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-'));
  try {
    assert.deepEqual(detectCgroups(root), { mode: 'none' });
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpuset cpu io memory\n');
    assert.deepEqual(detectCgroups(root), { mode: 'v2', cpu: root });
    fs.mkdirSync(path.join(root, 'cpu'));
    fs.mkdirSync(path.join(root, 'cpuacct'));
    fs.writeFileSync(path.join(root, 'cpu', 'cpu.cfs_quota_us'), '-1');
    fs.writeFileSync(path.join(root, 'cpuacct', 'cpuacct.usage'), '0');
    const v1 = detectCgroups(root);
    assert.deepEqual(v1, { mode: 'v1', cpu: path.join(root, 'cpu'), cpuacct: path.join(root, 'cpuacct') });
    const cg = createAppCgroup(v1, '/state', 1, 0.25)!;
    assert.equal(fs.readFileSync(path.join(root, 'cpu', cg.name, 'cpu.cfs_quota_us'), 'utf8'), '25000');
    assert.deepEqual(cg.procsFiles, [
      path.join(root, 'cpu', cg.name, 'cgroup.procs'),
      path.join(root, 'cpuacct', cg.name, 'cgroup.procs'),
    ]);
    assert.deepEqual(listAppCgroups(v1, '/state'), [cg.name]);
    assert.deepEqual(listAppCgroups(v1, '/other'), []);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
