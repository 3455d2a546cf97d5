import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, rehearsalTags, TAG } from './common.ts';
import { architectureOf, parseStackConfig, subnetCidrs } from './stack-config.ts';

const minimal = { rehearsalId: 'bf-2026', accountId: '123456789012', region: 'eu-west-1' };

test('a minimal config gets a small production-shaped stack', () => {
  const c = parseStackConfig(minimal);
  assert.equal(c.azCount, 2);
  assert.deepEqual([c.app.min, c.app.desired, c.app.max], [2, 2, 10]);
  assert.equal(c.app.image.kind, 'bootstrap');
  assert.equal(c.domain, undefined);
  assert.equal(c.database.backupRetentionDays, 7);
  assert.equal(c.cache.nodes, 2);
});

test('a config field named like a secret is rejected, at any depth', () => {
  for (const bad of [
    { ...minimal, dbPassword: 'hunter2' },
    { ...minimal, database: { masterPassword: 'x' } },
    { ...minimal, cache: { authToken: 'x' } },
    {
      ...minimal,
      app: { schedules: [{ name: 'a', startTime: '2026-11-27T04:30:00Z', min: 1, max: 1, desired: 1, apiKey: 'k' }] },
    },
    { ...minimal, monitoring: { secretAccessKey: 'x' } },
  ]) {
    assert.throws(
      () => parseStackConfig(bad),
      (e: Error) =>
        e instanceof ConfigError && /looks like a secret/.test(e.message) && /Secrets Manager/.test(e.message),
    );
  }
});

test('errors name the field and what it wants', () => {
  assert.throws(
    () => parseStackConfig({ ...minimal, rehearsalId: 'Black_Friday' }),
    /rehearsalId: rehearsalId must be 2-28 characters/,
  );
  assert.throws(() => parseStackConfig({ ...minimal, region: 'europe' }), /region: region must be an AWS region code/);
  assert.throws(() => parseStackConfig({ ...minimal, azCount: 1 }), /azCount/);
  assert.throws(() => parseStackConfig({ ...minimal, app: { min: 4, desired: 2 } }), /min <= desired <= max/);
  assert.throws(
    () => parseStackConfig({ ...minimal, domain: { name: 'shop.example.com', certificateArn: 'nope' } }),
    /ACM certificate ARN/,
  );
  assert.throws(
    () => parseStackConfig({ ...minimal, app: { schedules: [{ name: 'x', min: 1, max: 2, desired: 1 }] } }),
    /recurrence \(cron\) or startTime/,
  );
  assert.throws(() => parseStackConfig({ ...minimal, instanceSize: 'big' }), /instanceSize/); // typo: unknown keys are refused
  assert.throws(
    () => parseStackConfig({ ...minimal, app: { image: { kind: 'ami', amiId: 'ubuntu' } } }),
    /amiId must look like/,
  );
});

test('Redis must be 7.0 or later: the app authenticates with IAM', () => {
  for (const v of ['6.2', '5.0.6', '7', 'latest'])
    assert.throws(
      () => parseStackConfig({ ...minimal, cache: { engineVersion: v } }),
      /cache\.engineVersion: cache\.engineVersion must be Redis OSS 7\.0 or later/,
      v,
    );
  for (const v of ['7.0', '7.1', '10.0'])
    assert.equal(parseStackConfig({ ...minimal, cache: { engineVersion: v } }).cache.engineVersion, v);
});

test('architecture follows the instance family', () => {
  for (const t of ['c7g.large', 'm7g.xlarge', 't4g.medium', 'c7gn.large', 'a1.large'])
    assert.equal(architectureOf(t), 'arm64', t);
  for (const t of ['c7i.large', 'm6a.large', 'g5.xlarge', 'c5n.large']) assert.equal(architectureOf(t), 'x86_64', t);
});

test('subnets: public blocks first, private from the 9th /20 on, never overlapping', () => {
  const { publicCidrs, privateCidrs } = subnetCidrs('10.80.0.0/16', 3);
  assert.deepEqual(publicCidrs, ['10.80.0.0/20', '10.80.16.0/20', '10.80.32.0/20']);
  assert.deepEqual(privateCidrs, ['10.80.128.0/20', '10.80.144.0/20', '10.80.160.0/20']);
  assert.deepEqual(subnetCidrs('172.16.32.0/20', 2).privateCidrs, ['172.16.40.0/24', '172.16.41.0/24']);
});

test('tags carry the rehearsal id, and the creation time when known', () => {
  assert.deepEqual(rehearsalTags({ rehearsalId: 'bf-2026', createdAt: '2026-11-25T10:45:12Z' }, 'store'), {
    [TAG.rehearsalId]: 'bf-2026',
    [TAG.managedBy]: 'rehearse',
    [TAG.stack]: 'store',
    [TAG.createdAt]: '2026-11-25T10:45:12Z',
  });
  assert.equal(rehearsalTags({ rehearsalId: 'bf-2026' }, 'fleet')[TAG.createdAt], undefined);
});
