// The behaviour every BlobStore must show, run by the directory store's test and the S3 one's:
// whole-object puts, null for a missing key, prefix listing, and putIfAbsent racing.
import assert from 'node:assert/strict';
import type { BlobStore } from './blob-store.ts';

export async function checkStoreContract(store: BlobStore): Promise<void> {
  assert.equal(await store.get('nothing/here.json'), null);
  await store.put('runs/a/plan.json', '{"v":1}');
  await store.put('runs/a/plan.json', '{"v":2}');
  assert.equal((await store.get('runs/a/plan.json'))!.toString(), '{"v":2}', 'put replaces');
  await store.put('runs/a/runners/r1/chunks/000002.csv', Buffer.from('b'));
  await store.put('runs/a/runners/r1/chunks/000001.csv', Buffer.from('a'));
  await store.put('runs/ab/other.json', 'x');
  assert.deepEqual(await store.list('runs/a/runners/'), [
    'runs/a/runners/r1/chunks/000001.csv',
    'runs/a/runners/r1/chunks/000002.csv',
  ]);
  assert.deepEqual(await store.list('runs/a'), [
    'runs/a/plan.json',
    'runs/a/runners/r1/chunks/000001.csv',
    'runs/a/runners/r1/chunks/000002.csv',
    'runs/ab/other.json',
  ]);
  assert.deepEqual(await store.list('runs/zzz/'), []);
  assert.equal(await store.putIfAbsent('runs/a/plan.json', 'again'), false, 'an existing key is not replaced');
  assert.equal((await store.get('runs/a/plan.json'))!.toString(), '{"v":2}');
  await assert.rejects(async () => store.get('../escape'), /not a plain relative path/);
}

/** `writers` concurrent putIfAbsent calls on one key: exactly one wins and its body is the one kept. */
export async function checkClaimRace(store: BlobStore, key: string, writers = 8): Promise<void> {
  const results = await Promise.all(Array.from({ length: writers }, (_, i) => store.putIfAbsent(key, `writer-${i}`)));
  const winners = results.flatMap((won, i) => (won ? [i] : []));
  assert.equal(winners.length, 1, `exactly one winner, got ${JSON.stringify(winners)}`);
  assert.equal((await store.get(key))!.toString(), `writer-${winners[0]}`, 'the winner’s body is what the key holds');
}
