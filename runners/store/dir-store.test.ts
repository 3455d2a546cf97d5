import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DirStore } from './dir-store.ts';
import { checkClaimRace, checkStoreContract } from './store-contract.ts';
import { openStore } from './open-store.ts';
import { parseS3Url } from './s3-store.ts';

const withDir = async (fn: (dir: string) => Promise<void>) => {
  const dir = await mkdtemp(join(tmpdir(), 'dir-store-'));
  try {
    await fn(dir);
  } finally {
    await chmod(dir, 0o755).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
};

test('directory store: atomic puts, listing, conditional write', () =>
  withDir(async (dir) => {
    await checkStoreContract(new DirStore(dir));
    const left = (await readdir(join(dir, 'runs', 'a'))).filter((n) => n.startsWith('.tmp-'));
    assert.deepEqual(left, [], 'no temp files left behind');
  }));

test('directory store: of many racing claims on one key, exactly one wins', () =>
  withDir(async (dir) => {
    const store = new DirStore(dir);
    for (let round = 0; round < 5; round++) await checkClaimRace(store, `claims/${round}.json`, 16);
  }));

test('directory store: a store that refuses writes says so, names the key, and leaves nothing behind', () =>
  withDir(async (dir) => {
    const store = new DirStore(join(dir, 'ro'));
    await store.put('x.json', '1');
    await chmod(join(dir, 'ro'), 0o555);
    // root ignores directory permissions, so make the refusal structural: the key's parent is a file.
    await assert.rejects(store.put('x.json/y.json', '2'), /store .*ro: cannot write x\.json\/y\.json \(\w+\)/);
    await assert.rejects(store.putIfAbsent('x.json/z.json', '2'), /cannot write x\.json\/z\.json/);
    assert.equal((await store.get('x.json'))!.toString(), '1');
  }));

test('openStore picks S3 for s3:// URLs and a directory otherwise; bad S3 URLs are refused', () => {
  assert.equal(openStore('s3://my-bucket/runs/x').where, 's3://my-bucket/runs/x/');
  assert.ok(openStore('some/dir').where.endsWith('/some/dir'));
  assert.deepEqual(parseS3Url('s3://b-1'), { bucket: 'b-1', prefix: '' });
  assert.throws(() => parseS3Url('s3://B_ad/x'), /not an S3 URL: use s3:\/\/bucket/);
});
