// The reaper against moto's AWS emulator: tagged leftovers of old rehearsals are found, recent
// ones and untagged resources are not.
import assert from 'node:assert/strict';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { after, before, test } from 'node:test';
import { startMoto, type MotoServer } from '../../infra/aws/testing/moto-server.ts';
import { listLeftovers } from './reap.ts';

let moto: MotoServer;
const saved = { ...process.env };

before(async () => {
  moto = await startMoto();
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
  const bucket = async (name: string, tags: Record<string, string>) => {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    if (Object.keys(tags).length) {
      await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } }));
    }
  };
  await bucket('rehearse-20200101-000000-old-runs', { 'rehearse:rehearsal-id': '20200101-000000-old' });
  await bucket('rehearse-young-runs', { 'rehearse:rehearsal-id': 'young', 'rehearse:created-at': new Date().toISOString() });
  await bucket('somebody-elses-bucket', {});
});
after(async () => {
  process.env = saved;
  await moto?.stop();
});

test('old tagged rehearsals are listed with their resources; recent and untagged ones are not', async () => {
  const found = await listLeftovers({ regions: ['us-east-1'], olderThanS: 6 * 3600, endpoint: moto.endpoint });
  assert.deepEqual(found.map((l) => l.rehearsalId), ['20200101-000000-old']);
  assert.equal(found[0]!.ageFrom, 'id');
  assert.deepEqual(found[0]!.resources.map((r) => r.arn), ['arn:aws:s3:::rehearse-20200101-000000-old-runs']);
  const all = await listLeftovers({ regions: ['us-east-1'], olderThanS: 0.001, endpoint: moto.endpoint });
  assert.deepEqual(all.map((l) => l.rehearsalId).sort(), ['20200101-000000-old', 'young']);
});
