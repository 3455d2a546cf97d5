// `rehearse reap` flags: --destroy never deletes without a yes (asked on a terminal, or --yes).
// Listing and destroying against moto: infra/aws/lifecycle/reaper.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../../test-support/temp-dir.ts';

const BIN = fileURLToPath(new URL('../../bin/rehearse.mjs', import.meta.url));
const env = { PATH: process.env.PATH!, HOME: tempDir('rehearse-reap-home-') };
const reap = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, 'reap', ...args], {
    encoding: 'utf8',
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 60_000,
  });

test('--destroy with no terminal to ask on and no --yes exits 2 before looking at AWS', () => {
  const res = reap('--destroy', '--region', 'eu-west-1', '--state-root', join(env.HOME, 'state'));
  assert.equal(res.status, 2, res.stderr);
  assert.match(res.stderr, /--destroy asks before deleting and there is no terminal to ask on: .*add --yes/);
});

test('--yes alone is refused: it only confirms a --destroy', () => {
  const res = reap('--yes');
  assert.equal(res.status, 2, res.stderr);
  assert.match(res.stderr, /--yes only goes with --destroy/);
});
