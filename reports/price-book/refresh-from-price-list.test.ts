import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkPriceBook } from './load-price-book.ts';
import type { PriceBook } from './price-book-schema.ts';
import {
  applyRefresh,
  entryFromItems,
  parsePriceListItem,
  queriesFor,
  refreshPrices,
  type GetProducts,
  type GetProductsInput,
  type GetProductsOutput,
} from './refresh-from-price-list.ts';

const NOW = new Date('2026-11-25T10:00:00Z');
const fixture = (name: string): GetProductsOutput =>
  JSON.parse(readFileSync(new URL(`./fixtures/get-products-${name}.json`, import.meta.url), 'utf8'));
const FIXTURES: Record<string, GetProductsOutput> = {
  AmazonEC2: fixture('ec2'),
  AmazonRDS: fixture('rds'),
  AmazonElastiCache: fixture('elasticache'),
  AWSELB: fixture('elb'),
};
const repoBook = (): PriceBook =>
  checkPriceBook(JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')), 'prices.json', {
    now: NOW,
  }).book;

/** Answers like GetProducts from the recorded fixtures: TERM_MATCH filters, 1 product a page. */
function fakeGetProducts(log: GetProductsInput[] = []): GetProducts {
  return async (input) => {
    log.push(input);
    const all = (FIXTURES[input.ServiceCode]?.PriceList ?? []).map(String).filter((raw) => {
      const p = JSON.parse(raw).product;
      return (input.Filters ?? []).every(
        (f) => (f.Field === 'productFamily' ? p.productFamily : p.attributes[f.Field]) === f.Value,
      );
    });
    const start = Number(input.NextToken ?? 0);
    const next = start + 1;
    return {
      FormatVersion: 'aws_v1',
      PriceList: all.slice(start, next),
      ...(next < all.length ? { NextToken: String(next) } : {}),
    };
  };
}

const usdAt = (r: Awaited<ReturnType<typeof refreshPrices>>, path: string) =>
  r.entries.find((e) => e.path.join('/') === path)?.entry;

test('the fixture maps to price-book entries: the on-demand Linux product, not its decoys', async () => {
  const log: GetProductsInput[] = [];
  const r = await refreshPrices(fakeGetProducts(log), repoBook(), { now: NOW });
  const c7g = usdAt(r, 'regions/us-east-1/ec2/c7g.large')!;
  assert.equal(c7g.usd, 0.0725); // not the RHEL decoy at 0.1325
  assert.equal(c7g.unit, 'hour');
  assert.equal(c7g.basis, 'aws');
  assert.equal(c7g.readAt, '2026-11-25');
  assert.match(
    c7g.source,
    /^AWS Price List API GetProducts AmazonEC2, sku FIXTURE\w+, published 2026-11-20, effective 2026-11-01$/,
  );
  for (const [t, usd] of Object.entries({
    'c7g.xlarge': 0.145,
    'm7g.large': 0.0816,
    'c6i.large': 0.085,
    't4g.medium': 0.0336,
    'c8g.large': 0.07976,
    'm8g.large': 0.08976,
  })) {
    assert.equal(usdAt(r, `regions/us-east-1/ec2/${t}`)?.usd, usd, t);
  }
  assert.equal(usdAt(r, 'regions/us-east-1/aurora/instances/db.r7g.large/standard')?.usd, 0.276);
  assert.equal(usdAt(r, 'regions/us-east-1/aurora/instances/db.r7g.large/ioOptimized')?.usd, 0.3588);
  assert.equal(usdAt(r, 'regions/us-east-1/elasticache/redis/cache.t4g.medium')?.usd, 0.065);
  assert.equal(usdAt(r, 'regions/us-east-1/elasticache/valkey/cache.t4g.medium')?.usd, 0.052);
  assert.equal(usdAt(r, 'regions/us-east-1/alb/hour')?.usd, 0.0225);
  const lcu = usdAt(r, 'regions/us-east-1/alb/lcuHour')!;
  assert.deepEqual([lcu.usd, lcu.unit], [0.008, 'LCU-hour']);
  // Not in the answer: reported, never guessed.
  assert.ok(
    r.problems.some((p) =>
      p.startsWith(
        'regions / us-east-1 / aurora / instances / db.t4g.medium / ioOptimized: no on-demand product matched',
      ),
    ),
  );
  assert.ok(r.problems.some((p) => p.startsWith('regions / us-east-1 / elasticache / valkey / cache.r7g.large')));
  assert.ok(r.problems.some((p) => p.startsWith('regions / eu-west-1 / ec2 / c7g.large')));
  assert.ok(!r.entries.some((e) => e.path[1] === 'eu-west-1'));
  // Pages were followed (1 product a page), and each distinct request was made once.
  assert.ok(log.some((i) => i.NextToken !== undefined));
  const distinct = new Set(log.filter((i) => !i.NextToken).map((i) => JSON.stringify(i)));
  assert.equal(distinct.size, log.filter((i) => !i.NextToken).length);
  assert.equal(r.calls, log.length);
  assert.ok(log.every((i) => i.FormatVersion === 'aws_v1' && i.Filters!.some((f) => f.Field === 'regionCode')));
});

test('applying a refresh replaces entries, lists what changed, and keeps a valid book', async () => {
  const book = repoBook();
  book.regions['us-east-1']!.ec2['c7g.large']!.usd = 0.07;
  const r = await refreshPrices(fakeGetProducts(), book, { now: NOW });
  const { book: next, changes } = applyRefresh(book, r.entries, { asOf: '2026-11-25' });
  assert.deepEqual(changes, [{ path: 'regions / us-east-1 / ec2 / c7g.large', from: 0.07, to: 0.0725 }]);
  assert.equal(next.regions['us-east-1']!.ec2['c7g.large']!.basis, 'aws');
  assert.match(next.regions['us-east-1']!.aurora.instances['db.r7g.large']!.standard.source, /GetProducts AmazonRDS/);
  // A third-party price read again from AWS becomes an "aws" entry; derived eu-west-1 ones stay.
  assert.equal(next.regions['us-east-1']!.aurora.instances['db.r7g.large']!.standard.basis, 'aws');
  assert.equal(next.regions['eu-west-1']!.ec2['c7g.large']!.basis, 'derived');
  assert.equal(book.regions['us-east-1']!.ec2['c7g.large']!.usd, 0.07, 'the input book is not changed');
});

test('several matching products at different prices are a problem, not a pick', () => {
  const items = (FIXTURES.AmazonEC2!.PriceList ?? []).map(parsePriceListItem);
  const q = queriesFor(repoBook()).find((x) => x.path.join('/') === 'regions/us-east-1/ec2/c7g.large')!;
  // All EC2 products at once (the RHEL and capacity-reservation decoys too): one Linux on-demand match.
  const one = entryFromItems(q, items, '2026-11-25');
  assert.ok('entry' in one && one.entry.usd === 0.0725);
  const twin = structuredClone(items.find((i) => i.product.attributes.instanceType === 'c7g.large')!);
  twin.product.sku = 'TWIN';
  const dim = Object.values(Object.values(twin.terms.OnDemand!)[0]!.priceDimensions)[0]!;
  dim.pricePerUnit.USD = '0.0800000000';
  const r = entryFromItems(q, [...items, twin], '2026-11-25');
  assert.ok('problem' in r);
  assert.match(r.problem, /2 products matched at different prices \(0\.0725, 0\.08; skus FIXTURE\w+, TWIN\)/);
});

test('Price List items arrive as JSON strings or SDK objects whose String() is the JSON', () => {
  const raw = String(FIXTURES.AWSELB!.PriceList![0]);
  assert.equal(parsePriceListItem({ toString: () => raw }).serviceCode, 'AWSELB');
  assert.throws(() => parsePriceListItem('{"product":{}}'), /not in the aws_v1 shape/);
});
