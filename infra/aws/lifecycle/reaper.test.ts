// The reaper against moto's AWS emulator, in two regions: it lists without destroying, ages a
// rehearsal whose id carries no date by its resources' own creation time, skips a live rehearsal,
// and destroys only after confirmation.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { after, before, test } from 'node:test';
import { TAG } from '../config/common.ts';
import { parseInfraConfig } from '../config/infra-config.ts';
import { startMoto, useMotoCredentials, type MotoServer } from '../testing/moto-server.ts';
import { tempDir } from '../../../test-support/temp-dir.ts';
import { holdLease } from './live-lease.ts';
import { listLeftovers, reap, reapRegions, type RegionalLeftover } from './reaper.ts';

let moto: MotoServer;
let restoreEnv = () => {};
const REGIONS = ['us-east-1', 'eu-west-1'];
const inAnHour = new Date(Date.now() + 3_600_000).toISOString();

async function bucket(region: string, name: string, tags: Record<string, string>) {
  const s3 = new S3Client({ ...moto.s3, region });
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(region === 'us-east-1'
        ? {}
        : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
    }),
  );
  if (Object.keys(tags).length) {
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: name,
        Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  }
  await s3.send(new PutObjectCommand({ Bucket: name, Key: 'runs/x/chunk.csv', Body: 'a,b\n' }));
}
const exists = (name: string) =>
  new S3Client(moto.s3).send(new HeadBucketCommand({ Bucket: name })).then(
    () => true,
    () => false,
  );

before(async () => {
  moto = await startMoto();
  restoreEnv = useMotoCredentials({ AWS_REGION: 'us-east-1' }); // moto does not check them; restored after
  await bucket('us-east-1', 'rehearse-20200101-000000-old-runs', { [TAG.rehearsalId]: '20200101-000000-old' });
  await bucket('eu-west-1', 'rehearse-20200102-eu-backup', { [TAG.rehearsalId]: '20200102-eu' });
  // No date in the id and no created-at tag: aged by the bucket's own creation time (just now).
  await bucket('eu-west-1', 'rehearse-nodate-backup', { [TAG.rehearsalId]: 'nodate' });
  // Old by its id, but its expires-at is an hour ahead: a live rehearsal.
  await bucket('us-east-1', 'rehearse-20200103-live-runs', {
    [TAG.rehearsalId]: '20200103-live',
    [TAG.expiresAt]: inAnHour,
  });
  await bucket('us-east-1', 'somebody-elses-bucket', {});
});
after(async () => {
  restoreEnv();
  await moto?.stop();
});

const base = { regions: REGIONS, endpoint: () => moto.endpoint };
const ids = (found: RegionalLeftover[]) => found.map((l) => l.rehearsalId).sort();

test('regions come from every part of the config, plus any given', () => {
  const infra = parseInfraConfig({
    store: { rehearsalId: 'bf', accountId: '123456789012', region: 'eu-central-1' },
    fleet: { rehearsalId: 'bf', accountId: '123456789012', regions: ['us-east-1', 'eu-central-1'] },
  });
  assert.deepEqual(reapRegions(infra, ['ap-south-1']), ['eu-central-1', 'us-east-1', 'ap-south-1']);
  assert.deepEqual(reapRegions(undefined), ['us-east-1']);
});

test('lists old rehearsals across both regions, skips the live one, ages a dateless id by creation time; deletes nothing', async () => {
  const logged: string[] = [];
  const found = await listLeftovers({
    ...base,
    endpoint: base.endpoint(),
    olderThanS: 6 * 3600,
    log: (l) => logged.push(l),
  });
  assert.deepEqual(ids(found), ['20200101-000000-old', '20200102-eu']);
  assert.ok(
    logged.some((l) => /^20200103-live: skipped, live until /.test(l)),
    logged.join('\n'),
  );
  const young = await listLeftovers({ ...base, endpoint: base.endpoint(), olderThanS: 0 });
  const nodate = young.find((l) => l.rehearsalId === 'nodate');
  assert.equal(nodate?.ageFrom, 'resource', "aged by the bucket's CreationDate");
  assert.ok(!ids(young).includes('20200103-live'));
  for (const name of ['rehearse-20200101-000000-old-runs', 'rehearse-20200102-eu-backup'])
    assert.ok(await exists(name), `${name} was deleted by a listing`);
});

test('a rehearsal running on this machine (its lease holder alive) is never destroyed', async () => {
  const stateRoot = tempDir('rehearse-reap-lease-');
  const release = holdLease(join(stateRoot, '20200102-eu'), 'stack up');
  try {
    const result = await reap({
      ...base,
      endpoint: base.endpoint(),
      olderThanS: 6 * 3600,
      destroy: true,
      stateRoot,
      log: () => {},
      confirm: async () => false,
    });
    assert.deepEqual(ids(result.leftovers), ['20200101-000000-old']);
  } finally {
    release();
  }
});

test('--destroy deletes nothing until confirmed, then exactly what was listed', async () => {
  const stateRoot = tempDir('rehearse-reap-state-');
  const log = () => {};
  let asked: RegionalLeftover[] = [];
  const declined = await reap({
    ...base,
    endpoint: base.endpoint(),
    olderThanS: 6 * 3600,
    destroy: true,
    stateRoot,
    log,
    confirm: async (l) => {
      asked = l;
      return false;
    },
  });
  assert.deepEqual(ids(asked), ['20200101-000000-old', '20200102-eu'], 'asked with everything it would destroy');
  assert.deepEqual(declined.destroyed, []);
  assert.ok(await exists('rehearse-20200101-000000-old-runs'));

  const dryRun = await reap({
    ...base,
    endpoint: base.endpoint(),
    olderThanS: 6 * 3600,
    destroy: false,
    stateRoot,
    log,
    confirm: async () => assert.fail('a dry run never asks'),
  });
  assert.deepEqual(dryRun.destroyed, []);

  const confirmed = await reap({
    ...base,
    endpoint: base.endpoint(),
    olderThanS: 6 * 3600,
    destroy: true,
    stateRoot,
    log,
    confirm: async () => true,
  });
  assert.deepEqual(confirmed.destroyed.sort(), [
    'arn:aws:s3:::rehearse-20200101-000000-old-runs',
    'arn:aws:s3:::rehearse-20200102-eu-backup',
  ]);
  assert.equal(await exists('rehearse-20200101-000000-old-runs'), false);
  assert.equal(await exists('rehearse-20200102-eu-backup'), false, 'emptied and deleted in its own region');
  for (const kept of ['rehearse-20200103-live-runs', 'rehearse-nodate-backup', 'somebody-elses-bucket'])
    assert.ok(await exists(kept), `${kept} was deleted`);
});
