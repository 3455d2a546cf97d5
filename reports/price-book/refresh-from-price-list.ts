// Refreshes the book's per-type prices from the AWS Price List API (GetProducts): EC2 instance
// hours, Aurora MySQL instance hours (Standard and I/O-Optimized), ElastiCache node hours, and the
// ALB hour and LCU-hour. The call itself is injected; with @aws-sdk/client-pricing (not a
// dependency yet) it would be:
//   const client = new PricingClient({ region: 'us-east-1' });
//   const getProducts: GetProducts = (input) => client.send(new GetProductsCommand(input));
// Each PriceList element is a JSON document (a string; the SDK may hand a LazyJsonString, whose
// String() is the JSON) with product.attributes and terms.OnDemand.*.priceDimensions.*.pricePerUnit.USD.
// A product that is not found, or found more than once at different prices, is reported, never guessed.

import { z } from 'zod';
import { PriceBookSchema, type PriceBook, type PriceEntry } from './price-book-schema.ts';

export interface GetProductsInput {
  ServiceCode: string;
  Filters?: Array<{ Type: 'TERM_MATCH'; Field: string; Value: string }>;
  FormatVersion?: 'aws_v1';
  NextToken?: string;
  MaxResults?: number;
}
export interface GetProductsOutput {
  FormatVersion?: string;
  NextToken?: string;
  PriceList?: Array<string | { toString(): string }>;
}
export type GetProducts = (input: GetProductsInput) => Promise<GetProductsOutput>;

const PriceListItemSchema = z.object({
  product: z.object({
    productFamily: z.string().optional(),
    attributes: z.record(z.string(), z.string()),
    sku: z.string(),
  }),
  serviceCode: z.string(),
  terms: z.object({
    OnDemand: z
      .record(
        z.string(),
        z.object({
          effectiveDate: z.string().optional(),
          priceDimensions: z.record(
            z.string(),
            z.object({
              unit: z.string(),
              pricePerUnit: z.record(z.string(), z.string()),
              beginRange: z.string().optional(),
              description: z.string().optional(),
            }),
          ),
        }),
      )
      .optional(),
  }),
  publicationDate: z.string().optional(),
});
export type PriceListItem = z.infer<typeof PriceListItemSchema>;

/** One wanted price: where it goes in the book and how to recognise its product. */
export interface PriceQuery {
  path: Array<string>;
  unit: PriceEntry['unit'];
  request: GetProductsInput;
  matches(item: PriceListItem): boolean;
}

export interface RefreshedEntry {
  path: string[];
  entry: PriceEntry;
}

const LOCATIONS: Record<string, string> = { 'US East (N. Virginia)': 'us-east-1', 'EU (Ireland)': 'eu-west-1' };
const regionOf = (a: Record<string, string>) => a.regionCode ?? LOCATIONS[a.location ?? ''];
const UNIT_NAMES: Record<string, PriceEntry['unit']> = { Hrs: 'hour', 'LCU-Hrs': 'LCU-hour' };

export function parsePriceListItem(raw: string | { toString(): string }): PriceListItem {
  const text = typeof raw === 'string' ? raw : String(raw);
  const r = PriceListItemSchema.safeParse(JSON.parse(text));
  if (!r.success)
    throw new Error(
      `Price List item is not in the aws_v1 shape: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return r.data;
}

/** The on-demand price of an item: its first-tier dimension in USD. */
export function onDemandPrice(item: PriceListItem): { usd: number; unit: string; effectiveDate?: string } | undefined {
  for (const term of Object.values(item.terms.OnDemand ?? {})) {
    const dims = Object.values(term.priceDimensions);
    const first = dims.find((d) => (d.beginRange ?? '0') === '0') ?? dims[0];
    const usd = first ? Number(first.pricePerUnit.USD) : NaN;
    if (first && Number.isFinite(usd)) return { usd, unit: first.unit, effectiveDate: term.effectiveDate };
  }
  return undefined;
}

/** The queries for every per-type price the book already lists, in each of its regions. */
export function queriesFor(book: PriceBook): PriceQuery[] {
  const out: PriceQuery[] = [];
  for (const [region, prices] of Object.entries(book.regions)) {
    const regionFilter = { Type: 'TERM_MATCH' as const, Field: 'regionCode', Value: region };
    for (const type of Object.keys(prices.ec2)) {
      out.push({
        path: ['regions', region, 'ec2', type],
        unit: 'hour',
        request: {
          ServiceCode: 'AmazonEC2',
          FormatVersion: 'aws_v1',
          Filters: [
            regionFilter,
            tm('instanceType', type),
            tm('operatingSystem', 'Linux'),
            tm('tenancy', 'Shared'),
            tm('preInstalledSw', 'NA'),
            tm('capacitystatus', 'Used'),
          ],
        },
        matches: (i) =>
          is(
            i,
            {
              instanceType: type,
              operatingSystem: 'Linux',
              tenancy: 'Shared',
              preInstalledSw: 'NA',
              capacitystatus: 'Used',
            },
            region,
          ) && (i.product.attributes.licenseModel ?? 'No License required') === 'No License required',
      });
    }
    for (const cls of Object.keys(prices.aurora.instances)) {
      for (const storage of ['standard', 'ioOptimized'] as const) {
        out.push({
          path: ['regions', region, 'aurora', 'instances', cls, storage],
          unit: 'hour',
          request: {
            ServiceCode: 'AmazonRDS',
            FormatVersion: 'aws_v1',
            Filters: [regionFilter, tm('instanceType', cls), tm('databaseEngine', 'Aurora MySQL')],
          },
          // I/O-Optimized instances are their own products; their usage type says so.
          matches: (i) =>
            is(i, { instanceType: cls, databaseEngine: 'Aurora MySQL' }, region) &&
            /IOOptimized/i.test(i.product.attributes.usagetype ?? '') === (storage === 'ioOptimized'),
        });
      }
    }
    for (const engine of ['redis', 'valkey'] as const) {
      const cacheEngine = engine === 'redis' ? 'Redis' : 'Valkey';
      for (const nodeType of Object.keys(prices.elasticache[engine])) {
        out.push({
          path: ['regions', region, 'elasticache', engine, nodeType],
          unit: 'hour',
          request: {
            ServiceCode: 'AmazonElastiCache',
            FormatVersion: 'aws_v1',
            Filters: [regionFilter, tm('instanceType', nodeType), tm('cacheEngine', cacheEngine)],
          },
          matches: (i) => is(i, { instanceType: nodeType, cacheEngine }, region),
        });
      }
    }
    for (const [slot, usage, unit] of [
      ['hour', /LoadBalancerUsage$/, 'hour'],
      ['lcuHour', /LCUUsage$/, 'LCU-hour'],
    ] as const) {
      out.push({
        path: ['regions', region, 'alb', slot],
        unit,
        request: {
          ServiceCode: 'AWSELB',
          FormatVersion: 'aws_v1',
          Filters: [regionFilter, tm('productFamily', 'Load Balancer-Application')],
        },
        matches: (i) =>
          i.product.productFamily === 'Load Balancer-Application' &&
          regionOf(i.product.attributes) === region &&
          usage.test(i.product.attributes.usagetype ?? ''),
      });
    }
  }
  return out;
}

/** Pure: the items a query's request returned → the book entry, or why there is none. */
export function entryFromItems(
  query: PriceQuery,
  items: PriceListItem[],
  readAt: string,
): RefreshedEntry | { problem: string } {
  const where = query.path.join(' / ');
  const found = items.filter(query.matches).map((item) => ({ item, price: onDemandPrice(item) }));
  const priced = found.filter((f) => f.price !== undefined);
  if (priced.length === 0)
    return { problem: `${where}: no on-demand product matched in the Price List answer — kept the book's entry` };
  const distinct = new Set(priced.map((f) => f.price!.usd));
  if (distinct.size > 1) {
    return {
      problem: `${where}: ${priced.length} products matched at different prices (${[...distinct].join(', ')}; skus ${priced.map((f) => f.item.product.sku).join(', ')}) — narrow the query; kept the book's entry`,
    };
  }
  const { item, price } = priced[0]!;
  const unit = UNIT_NAMES[price!.unit];
  if (unit !== query.unit)
    return {
      problem: `${where}: the product is priced per "${price!.unit}", expected ${query.unit} — kept the book's entry`,
    };
  const entry = {
    usd: price!.usd,
    unit,
    readAt,
    basis: 'aws' as const,
    source:
      `AWS Price List API GetProducts ${item.serviceCode}, sku ${item.product.sku}` +
      (item.publicationDate ? `, published ${item.publicationDate.slice(0, 10)}` : '') +
      (price!.effectiveDate ? `, effective ${price!.effectiveDate.slice(0, 10)}` : ''),
  } as PriceEntry;
  return { path: query.path, entry };
}

export interface RefreshResult {
  entries: RefreshedEntry[];
  problems: string[];
  calls: number;
}

/** Asks the Price List for every per-type price in the book (all pages), and maps the answers. */
export async function refreshPrices(
  getProducts: GetProducts,
  book: PriceBook,
  opts: { now: Date; maxPages?: number },
): Promise<RefreshResult> {
  const readAt = opts.now.toISOString().slice(0, 10);
  const cache = new Map<string, PriceListItem[]>();
  const result: RefreshResult = { entries: [], problems: [], calls: 0 };
  for (const query of queriesFor(book)) {
    const key = JSON.stringify(query.request);
    let items = cache.get(key);
    if (!items) {
      items = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const out = await getProducts({ ...query.request, ...(NextToken ? { NextToken } : {}) });
        result.calls++;
        for (const raw of out.PriceList ?? []) items.push(parsePriceListItem(raw));
        NextToken = out.NextToken;
      } while (NextToken && ++pages < (opts.maxPages ?? 50));
      cache.set(key, items);
    }
    const r = entryFromItems(query, items, readAt);
    if ('problem' in r) result.problems.push(r.problem);
    else result.entries.push(r);
  }
  return result;
}

/** Pure: a new book with the refreshed entries in place, and what changed. */
export function applyRefresh(
  book: PriceBook,
  entries: RefreshedEntry[],
  opts: { asOf?: string } = {},
): { book: PriceBook; changes: Array<{ path: string; from: number | undefined; to: number }> } {
  const next = structuredClone(book) as unknown as Record<string, unknown>;
  const changes: Array<{ path: string; from: number | undefined; to: number }> = [];
  for (const { path, entry } of entries) {
    let node = next;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    const last = path[path.length - 1]!;
    const before = (node[last] as PriceEntry | undefined)?.usd;
    node[last] = entry;
    if (before !== entry.usd) changes.push({ path: path.join(' / '), from: before, to: entry.usd });
  }
  if (opts.asOf) next.asOf = opts.asOf;
  return { book: PriceBookSchema.parse(next), changes };
}

function tm(Field: string, Value: string) {
  return { Type: 'TERM_MATCH' as const, Field, Value };
}

function is(item: PriceListItem, want: Record<string, string>, region: string): boolean {
  const a = item.product.attributes;
  return regionOf(a) === region && Object.entries(want).every(([k, v]) => a[k] === v);
}
