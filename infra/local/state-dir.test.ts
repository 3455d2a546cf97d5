import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { resolveLayout } from './layout.ts';
import { chooseStateDir, fallbackStateDir, firstUnsearchable, movedNote } from './state-dir.ts';

function checkout(mode: number): { parent: string; repo: string } {
  const parent = tempDir('rehearse-statedir-');
  fs.chmodSync(parent, mode);
  const repo = path.join(parent, 'repo');
  fs.mkdirSync(repo, { mode: 0o755 });
  fs.chmodSync(repo, 0o755);
  return { parent, repo };
}

test('a checkout the service users can reach keeps its state in .state/local', () => {
  const { repo } = checkout(0o755);
  const c = chooseStateDir(repo, {}, '/var/lib/rehearse-test', true);
  assert.deepEqual(c, { dir: path.join(repo, '.state', 'local'), fromEnv: false });
  assert.equal(movedNote(c), undefined);
});

test('a checkout inside a 0700 directory keeps its state under the fallback root, keyed by its path', () => {
  const { parent, repo } = checkout(0o700);
  const c = chooseStateDir(repo, {}, '/var/lib/rehearse-test', true);
  assert.equal(c.movedBecause, parent);
  assert.equal(c.dir, fallbackStateDir(repo, '/var/lib/rehearse-test'));
  assert.match(c.dir, /^\/var\/lib\/rehearse-test\/[0-9a-f]{12}$/);
  assert.notEqual(fallbackStateDir(repo + '2'), fallbackStateDir(repo), 'two checkouts, two state dirs');
  assert.match(movedNote(c)!, new RegExp(`${parent} is not searchable .* lives in ${c.dir}`));
});

test('not started by root, the daemons run as the user: the checkout is fine wherever it is', () => {
  const { repo } = checkout(0o700);
  assert.deepEqual(chooseStateDir(repo, {}, '/var/lib/rehearse-test', false), {
    dir: path.join(repo, '.state', 'local'),
    fromEnv: false,
  });
});

test('REHEARSE_STATE_DIR wins even for an unreachable checkout', () => {
  const { repo } = checkout(0o700);
  assert.deepEqual(chooseStateDir(repo, { REHEARSE_STATE_DIR: '/tmp/mine' }), { dir: '/tmp/mine', fromEnv: true });
});

test('firstUnsearchable names the nearest directory above the leaf that others cannot search', () => {
  const { parent, repo } = checkout(0o700);
  assert.equal(firstUnsearchable(path.join(repo, 'not-yet', 'made')), parent);
  fs.chmodSync(parent, 0o711);
  assert.equal(firstUnsearchable(repo), undefined);
});

test('the fallback layout fits the 107-byte socket limit with 64 instances', () => {
  const { repo } = checkout(0o700);
  const layout = resolveLayout({ stateDir: fallbackStateDir(repo) }, {});
  assert.ok(layout.mariadb.socket.length < 107);
});
