import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DirStore } from './dir-store.ts';
import { PrefixedStore } from './prefixed-store.ts';
import { checkClaimRace, checkStoreContract } from './store-contract.ts';

test('a prefixed store keeps the store contract and writes only under its prefix', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'prefixed-store-'));
  try {
    const root = new DirStore(dir);
    const run = new PrefixedStore(root, 'plan-1/');
    assert.equal(run.where, `${dir}/plan-1/`);
    await checkStoreContract(run);
    await checkClaimRace(run, 'claims/0.json', 8);
    await root.put('plan-10/x.json', 'other run');
    assert.ok(
      (await run.list('')).every((k) => !k.startsWith('plan-')),
      'a sibling prefix does not leak in',
    );
    assert.ok(
      (await root.list('')).every((k) => k.startsWith('plan-1')),
      'nothing written outside the prefix',
    );
    assert.throws(() => new PrefixedStore(root, 'no-slash'), /must be key segments ending in "\/"/);
    assert.throws(() => new PrefixedStore(root, '../up/'), /not a plain relative path/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
