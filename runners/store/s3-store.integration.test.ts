// test lane: beside (no replica; mostly waits on timers, moto and a fake store)
// The S3 store against moto's server on 127.0.0.1 (dummy credentials, path-style URLs): the same
// contract as the directory store, including many agents racing one conditional write.
import assert from 'node:assert/strict';
import { CreateBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { after, before, test } from 'node:test';
import { startMoto, type MotoServer } from '../../infra/aws/testing/moto-server.ts';
import { S3Store } from './s3-store.ts';
import { checkClaimRace, checkStoreContract } from './store-contract.ts';

let moto: MotoServer;
let config: S3ClientConfig;
before(async () => {
  moto = await startMoto();
  config = moto.s3;
  await new S3Client(config).send(new CreateBucketCommand({ Bucket: 'rehearse-runs' }));
});
after(() => moto?.stop());

test('S3 store: atomic puts, listing under a prefix, conditional write (If-None-Match: *)', async () => {
  await checkStoreContract(S3Store.withConfig('s3://rehearse-runs/team/x', config));
});

test('S3 store: of many racing claims on one key, exactly one wins', async () => {
  const store = S3Store.withConfig('s3://rehearse-runs/race', config);
  for (let round = 0; round < 5; round++) await checkClaimRace(store, `claims/${round}.json`, 8);
});

test('S3 store: a missing bucket is a clear error naming the store and the key', async () => {
  const store = S3Store.withConfig('s3://no-such-bucket/p', config);
  await assert.rejects(
    store.put('plan.json', '{}'),
    /store s3:\/\/no-such-bucket\/p\/: cannot write plan\.json \(NoSuchBucket HTTP 404\)/,
  );
  await assert.rejects(store.putIfAbsent('claims/0.json', '{}'), /cannot write claims\/0\.json/);
});
