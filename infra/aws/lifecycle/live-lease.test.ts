import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.ts';
import { holdLease, leaseHolder, liveRehearsals } from './live-lease.ts';

test('a rehearsal is live while its lease holder runs, and not after it exits or releases', async () => {
  const root = tempDir('rehearse-lease-');
  const release = holdLease(join(root, 'mine'), 'stack up');
  assert.equal(leaseHolder(join(root, 'mine')), process.pid);
  // A lease left by a process that has since exited does not count.
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.once('exit', r));
  mkdirSync(join(root, 'crashed'));
  writeFileSync(join(root, 'crashed', 'live.json'), JSON.stringify({ pid: child.pid }));
  mkdirSync(join(root, 'idle'));
  assert.deepEqual(liveRehearsals(root), ['mine']);
  release();
  assert.equal(existsSync(join(root, 'mine', 'live.json')), false);
  assert.deepEqual(liveRehearsals(root), []);
});
