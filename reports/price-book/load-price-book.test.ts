import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { DEFAULT_PRICE_BOOK_PATH, checkPriceBook, loadPriceBook } from './load-price-book.ts';
import { pricesFor } from './price-lookup.ts';

const REPO_BOOK = new URL('./prices.json', import.meta.url).pathname;
const ON_ITS_DATE = new Date('2026-11-25T09:00:00Z');
const fresh = () => JSON.parse(readFileSync(REPO_BOOK, 'utf8'));

function writeTemp(name: string, text: string): string {
  const path = join(tempDir('price-book-'), name);
  writeFileSync(path, text);
  return path;
}

test('the repo book loads: both regions, the instance types the stack and runners use, each price sourced and dated', async () => {
  const loaded = await loadPriceBook(REPO_BOOK, { now: ON_ITS_DATE });
  assert.deepEqual(loaded.warnings, []);
  assert.equal(loaded.ageDays, 0);
  assert.deepEqual(Object.keys(loaded.book.regions).sort(), ['eu-west-1', 'us-east-1']);
  for (const region of ['us-east-1', 'eu-west-1']) {
    const p = pricesFor(loaded, region);
    for (const t of ['c7g.large', 'c7g.xlarge', 'm7g.large', 'c6i.large', 't4g.medium', 'c8g.large', 'm8g.large'])
      assert.ok(p.ec2(t) > 0, `${region} ${t}`);
    assert.ok(p.auroraInstanceHour('db.r7g.large', 'standard') > 0);
    assert.ok(p.auroraInstanceHour('db.r7g.large', 'io-optimized') > p.auroraInstanceHour('db.r7g.large', 'standard'));
    assert.ok(p.cacheNodeHour('redis', 'cache.t4g.medium') > 0);
    for (const f of [
      p.albHour,
      p.lcuHour,
      p.efsStorageGbMonth,
      p.efsReadGb,
      p.efsWriteGb,
      p.natHour,
      p.natGb,
      p.transferOutGb,
      p.getMetricDataPer1000,
    ]) {
      assert.ok(f() > 0);
    }
  }
  assert.equal(pricesFor(loaded, 'us-east-1').ec2('c7g.large'), 0.0725);
  // Nothing derived is presented as read: every derived entry says so, and says it is unverified.
  const visit = (v: unknown, path: string): void => {
    if (!v || typeof v !== 'object') return;
    const e = v as { basis?: string; notes?: string; derivedFrom?: unknown };
    if (e.basis === 'derived')
      assert.match(e.notes ?? '', /unverified/, `${path} is derived but its notes do not say unverified`);
    for (const [k, child] of Object.entries(v)) visit(child, `${path}.${k}`);
  };
  visit(loaded.book.regions, 'regions');
  // eu-west-1 EC2 prices were not read anywhere: all derived from us-east-1.
  for (const e of Object.values(loaded.book.regions['eu-west-1']!.ec2)) assert.equal(e.basis, 'derived');
  assert.equal(DEFAULT_PRICE_BOOK_PATH, 'reports/price-book/prices.json');
});

test('a malformed book is an error naming the file and the field', async () => {
  const data = fresh();
  data.regions['us-east-1'].ec2['c7g.large'].usd = '0.0725';
  const path = writeTemp('prices.json', JSON.stringify(data));
  await assert.rejects(loadPriceBook(path, { now: ON_ITS_DATE }), (e: Error) => {
    assert.equal(e.name, 'PriceBookError');
    assert.ok(e.message.includes(`price book ${path}`), e.message);
    assert.ok(e.message.includes('regions.us-east-1.ec2["c7g.large"].usd'), e.message);
    assert.ok(e.message.includes('usd must be a price in US dollars'), e.message);
    return true;
  });
});

test('a derived price must say what it came from; a unit must fit its slot', () => {
  const data = fresh();
  delete data.regions['eu-west-1'].ec2['m7g.large'].derivedFrom;
  data.regions['us-east-1'].nat.gb.unit = 'hour';
  assert.throws(
    () => checkPriceBook(data, 'p.json', { now: ON_ITS_DATE }),
    (e: Error) => {
      assert.match(e.message, /price book p\.json: 2 problems/);
      assert.match(
        e.message,
        /regions\.eu-west-1\.ec2\["m7g\.large"\]\.derivedFrom: a derived price needs derivedFrom/,
      );
      assert.match(e.message, /regions\.us-east-1\.nat\.gb\.unit: unit must be "GB"/);
      return true;
    },
  );
});

test('unreadable and non-JSON books name the file', async () => {
  await assert.rejects(
    loadPriceBook('/nonexistent/prices.json', { now: ON_ITS_DATE }),
    /price book \/nonexistent\/prices\.json: \(top level\): no such file/,
  );
  const path = writeTemp('broken.json', '{ "schema": ');
  await assert.rejects(loadPriceBook(path, { now: ON_ITS_DATE }), /broken\.json: \(top level\): not valid JSON/);
});

test('a stale book warns with its date; strict mode makes it an error', () => {
  const later = new Date('2027-04-04T00:00:00Z'); // 130 days after 2026-11-25
  const loaded = checkPriceBook(fresh(), 'prices.json', { now: later });
  assert.equal(loaded.ageDays, 130);
  assert.equal(loaded.warnings.length, 1);
  assert.match(loaded.warnings[0]!, /price book prices\.json is dated 2026-11-25, 130 days old \(limit 120\)/);
  assert.deepEqual(checkPriceBook(fresh(), 'prices.json', { now: later, maxAgeDays: 200 }).warnings, []);
  assert.throws(
    () => checkPriceBook(fresh(), 'prices.json', { now: later, strict: true }),
    (e: Error) =>
      e.name === 'PriceBookError' && /prices\.json: asOf: is dated 2026-11-25, 130 days old/.test(e.message),
  );
  // Exactly at the limit is not stale.
  assert.deepEqual(
    checkPriceBook(fresh(), 'prices.json', { now: new Date('2027-03-25T00:00:00Z'), strict: true }).warnings,
    [],
  );
});

test('the oldest read date is reported beside the book date', () => {
  const loaded = checkPriceBook(fresh(), 'prices.json', { now: ON_ITS_DATE });
  assert.equal(loaded.asOf, '2026-11-25');
  assert.ok(loaded.oldestReadAt < loaded.asOf);
});
