import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TAG } from '../config/common.ts';
import {
  findLeftovers,
  resourceType,
  timeFromRehearsalId,
  type GetResourcesInput,
  type GetResourcesOutput,
} from './reap.ts';

describe('reap', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  const tagged = (arn: string, id: string, createdAt?: string) => ({
    ResourceARN: arn,
    Tags: [
      { Key: TAG.rehearsalId, Value: id },
      { Key: 'Name', Value: 'x' },
      ...(createdAt ? [{ Key: TAG.createdAt, Value: createdAt }] : []),
    ],
  });
  const pages: GetResourcesOutput[] = [
    {
      PaginationToken: 'p2',
      ResourceTagMappingList: [
        tagged('arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1', 'old-run', '2026-11-24T09:00:00Z'),
        tagged('arn:aws:rds:eu-west-1:123456789012:cluster:rehearse-old-run', 'old-run', '2026-11-24T08:00:00Z'),
        tagged('arn:aws:s3:::rehearse-20261125-104512-bf-backup-1', '20261125-104512-bf'),
      ],
    },
    {
      PaginationToken: '',
      ResourceTagMappingList: [
        tagged(
          'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/rh-x/abc',
          'fresh',
          '2026-11-26T10:00:00Z',
        ),
        tagged('arn:aws:sns:eu-west-1:123456789012:rehearse-nodate-alerts', 'nodate'),
        tagged('arn:aws:ec2:eu-west-1:123456789012:instance/i-1', 'running-now', '2026-11-20T00:00:00Z'),
      ],
    },
  ];
  const calls: GetResourcesInput[] = [];
  const getResources = async (input: GetResourcesInput) => {
    calls.push(input);
    return pages[calls.length - 1]!;
  };

  test('lists rehearsals older than N hours across pages, oldest first, aged by tag or id', async () => {
    const found = await findLeftovers({ getResources, olderThanHours: 6, now, exclude: ['running-now'] });
    assert.deepEqual(
      calls.map((c) => c.PaginationToken),
      [undefined, 'p2'],
    );
    assert.deepEqual(calls[0]!.TagFilters, [{ Key: TAG.rehearsalId }]);
    assert.deepEqual(
      found.map((l) => [l.rehearsalId, l.ageFrom, l.ageHours]),
      [
        ['old-run', 'tag', 52],
        ['20261125-104512-bf', 'id', 25.2],
      ],
    );
    assert.deepEqual(
      found[0]!.resources.map((r) => r.type),
      ['ec2:vpc', 'rds:cluster'],
    );
    assert.equal(found[0]!.createdAt!.toISOString(), '2026-11-24T08:00:00.000Z', 'the earliest created-at');
  });

  test('unknown ages only on request; nothing younger than the limit', async () => {
    calls.length = 0;
    const found = await findLeftovers({ getResources, olderThanHours: 1, now, includeUnknownAge: true });
    assert.deepEqual(found.map((l) => l.rehearsalId).sort(), [
      '20261125-104512-bf',
      'fresh',
      'nodate',
      'old-run',
      'running-now',
    ]);
    calls.length = 0;
    assert.deepEqual(
      (await findLeftovers({ getResources, olderThanHours: 100, now })).map((l) => l.rehearsalId),
      ['running-now'],
    );
  });

  test('ids and ARNs parse', () => {
    assert.equal(timeFromRehearsalId('20261125-104512-black-friday')!.toISOString(), '2026-11-25T10:45:12.000Z');
    assert.equal(timeFromRehearsalId('20261125-bf')!.toISOString(), '2026-11-25T00:00:00.000Z');
    assert.equal(timeFromRehearsalId('20261345-bf'), undefined);
    assert.equal(timeFromRehearsalId('bf-2026'), undefined);
    assert.equal(resourceType('arn:aws:s3:::bucket'), 's3');
    assert.equal(
      resourceType('arn:aws:elasticloadbalancing:r:1:targetgroup/rh-x/abc'),
      'elasticloadbalancing:targetgroup',
    );
  });
});
