// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The agent command as a process (what the controller starts): exit codes and messages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const MAIN = fileURLToPath(new URL('./agent-main.ts', import.meta.url));
const agent = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 30_000 });

test('rehearse agent: an empty store exits 2 naming what is missing; --store is required', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'agent-cli-'));
  try {
    const r = agent('--store', dir, '--runner-name', 'x');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^rehearse agent: .*: no manifest\.json; start the run with `rehearse run --runners N`/m);
    const u = agent();
    assert.equal(u.status, 2);
    assert.match(u.stderr, /required option '--store <dir\|s3:\/\/bucket\/prefix>' not specified/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
