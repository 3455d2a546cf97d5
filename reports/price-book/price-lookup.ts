// Prices for one region of a loaded book, looked up by what the cost model needs. A missing price
// is an error naming the book, the field it looked for and what to do. Every price handed out is
// remembered, so a report can list exactly which prices (and how trustworthy) it used.

import type { LoadedPriceBook } from './load-price-book.ts';
import {
  PriceBookError,
  type AlbLcuDefinition,
  type Basis,
  type PriceBook,
  type PriceEntry,
  type PriceUnit,
  type RegionPrices,
} from './price-book-schema.ts';

export interface PriceUsed {
  /** Field path in the book, e.g. regions["us-east-1"].ec2["c7g.large"]. */
  path: string;
  usd: number;
  unit: PriceUnit;
  basis: Basis;
  source: string;
  readAt: string;
  notes?: string;
}

export type AuroraStorage = 'standard' | 'io-optimized';
export type CacheEngine = 'redis' | 'valkey';

export interface RegionPriceLookup {
  region: string;
  asOf: string;
  units: PriceBook['units'];
  albLcu: AlbLcuDefinition;
  /** `askedBy` names where the type came from, for the error ("telemetry instances[2].type"). */
  ec2(type: string, askedBy?: string): number;
  albHour(): number;
  lcuHour(): number;
  auroraInstanceHour(instanceClass: string, storage: AuroraStorage): number;
  auroraStorageGbMonth(storage: AuroraStorage): number;
  /** $ per 1 M I/O requests; I/O-Optimized has no I/O charge (0). */
  auroraIoPerMillion(storage: AuroraStorage): number;
  cacheNodeHour(engine: CacheEngine, nodeType: string): number;
  efsStorageGbMonth(): number;
  efsReadGb(): number;
  efsWriteGb(): number;
  natHour(): number;
  natGb(): number;
  transferOutGb(): number;
  getMetricDataPer1000(): number;
  /** $ per GB crossing AZs (one direction); null when the book has no interAz price. */
  interAzGb(): number | null;
  /** $ per 1000 S3 Standard requests of a tier; null when the book has no s3 prices. */
  s3Per1000(tier: 'tier1' | 'tier2'): number | null;
  /** Whether the book has an EC2 price for this type (no error, nothing recorded). */
  hasEc2(type: string): boolean;
  used(): PriceUsed[];
}

export function pricesFor(loaded: Pick<LoadedPriceBook, 'book' | 'path'>, region: string): RegionPriceLookup {
  const { book, path } = loaded;
  const where = `price book ${path}`;
  const prices: RegionPrices | undefined = Object.hasOwn(book.regions, region) ? book.regions[region] : undefined;
  if (!prices) {
    throw new PriceBookError(where, [
      {
        path: ['regions', region],
        message: `no prices for this region — use one of ${Object.keys(book.regions).join(', ')} or add the region to the book`,
      },
    ]);
  }
  const used = new Map<string, PriceUsed>();
  const take = (fieldPath: PropertyKey[], entry: PriceEntry): number => {
    const key = fieldPathString(['regions', region, ...fieldPath]);
    used.set(key, {
      path: key,
      usd: entry.usd,
      unit: entry.unit,
      basis: entry.basis,
      source: entry.source,
      readAt: entry.readAt,
      ...(entry.notes ? { notes: entry.notes } : {}),
    });
    return entry.usd;
  };
  const fromTable = <T>(
    table: Record<string, T>,
    fieldPath: string[],
    key: string,
    what: string,
    askedBy?: string,
  ): T => {
    if (Object.hasOwn(table, key)) return table[key]!;
    const known = Object.keys(table).sort().join(', ') || '(none)';
    const by = askedBy ? ` (asked for by ${askedBy})` : '';
    throw new PriceBookError(where, [
      {
        path: ['regions', region, ...fieldPath, key],
        message: `no price for ${what} "${key}"${by} — add it to the book (refresh-from-price-list.ts can fetch it) or use one of: ${known}`,
      },
    ]);
  };
  const auroraKey = (s: AuroraStorage) => (s === 'standard' ? 'standard' : 'ioOptimized');

  return {
    region,
    asOf: book.asOf,
    units: book.units,
    albLcu: book.albLcu,
    ec2: (type, askedBy) => take(['ec2', type], fromTable(prices.ec2, ['ec2'], type, 'EC2 instance type', askedBy)),
    albHour: () => take(['alb', 'hour'], prices.alb.hour),
    lcuHour: () => take(['alb', 'lcuHour'], prices.alb.lcuHour),
    auroraInstanceHour: (cls, storage) => {
      const row = fromTable(prices.aurora.instances, ['aurora', 'instances'], cls, 'Aurora DB instance class');
      return take(['aurora', 'instances', cls, auroraKey(storage)], row[auroraKey(storage)]);
    },
    auroraStorageGbMonth: (storage) =>
      storage === 'standard'
        ? take(['aurora', 'standard', 'storage'], prices.aurora.standard.storage)
        : take(['aurora', 'ioOptimized', 'storage'], prices.aurora.ioOptimized.storage),
    auroraIoPerMillion: (storage) =>
      storage === 'standard' ? take(['aurora', 'standard', 'io'], prices.aurora.standard.io) : 0,
    cacheNodeHour: (engine, nodeType) =>
      take(
        ['elasticache', engine, nodeType],
        fromTable(prices.elasticache[engine], ['elasticache', engine], nodeType, `ElastiCache (${engine}) node type`),
      ),
    efsStorageGbMonth: () => take(['efs', 'storage'], prices.efs.storage),
    efsReadGb: () => take(['efs', 'elasticRead'], prices.efs.elasticRead),
    efsWriteGb: () => take(['efs', 'elasticWrite'], prices.efs.elasticWrite),
    natHour: () => take(['nat', 'hour'], prices.nat.hour),
    natGb: () => take(['nat', 'gb'], prices.nat.gb),
    transferOutGb: () => take(['dataTransferOut', 'gb'], prices.dataTransferOut.gb),
    getMetricDataPer1000: () => take(['cloudwatch', 'getMetricData'], prices.cloudwatch.getMetricData),
    interAzGb: () => (prices.interAz ? take(['interAz', 'gb'], prices.interAz.gb) : null),
    s3Per1000: (tier) => (prices.s3 ? take(['s3', tier], prices.s3[tier]) : null),
    hasEc2: (type) => Object.hasOwn(prices.ec2, type),
    used: () => [...used.values()].sort((a, b) => a.path.localeCompare(b.path)),
  };
}

function fieldPathString(parts: PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    const s = String(p);
    out += /^[A-Za-z_$][\w$]*$/.test(s) ? (out ? `.${s}` : s) : `[${JSON.stringify(s)}]`;
  }
  return out;
}
