// The price book format (rehearse.price-book/v1): dated on-demand prices per region, each entry
// with the source it was read from, the date it was read and how much to trust it (`basis`).
// Loading and the staleness check: load-price-book.ts. Looking prices up: price-lookup.ts.

import { z } from 'zod';
import { formatIssues, type Issue } from '../../scenarios/profile/issues.ts';
import { InputError } from '../../errors/errors.ts';

export class PriceBookError extends InputError {
  constructor(
    readonly where: string,
    readonly issues: Issue[],
  ) {
    super(formatIssues(where, issues));
  }
}

export const PRICE_BOOK_DOCS = 'reports/price-book/price-book-schema.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'write the date as YYYY-MM-DD, e.g. "2026-11-25"' })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { error: 'not a calendar date — write YYYY-MM-DD' });

const regionName = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'a region name looks like "us-east-1" or "eu-west-1"' });

/**
 * How far to trust a price: "aws" (an AWS page, the Price List API, or code AWS generates from it),
 * "third-party" (someone's table of AWS prices), "derived" (computed from another region's price
 * with `derivedFrom.factor`: never read anywhere, unverified).
 */
export const BASES = ['aws', 'third-party', 'derived'] as const;
export type Basis = (typeof BASES)[number];

export const UNITS = ['hour', 'LCU-hour', 'GB-month', 'GB', '1M requests', '1000 metrics', '1000 requests'] as const;
export type PriceUnit = (typeof UNITS)[number];

const entryFields = {
  usd: z.number({ error: 'usd must be a price in US dollars, e.g. 0.0725' }).nonnegative().finite(),
  source: z.string().min(1, { error: 'name where the price was read (URL, file, API call)' }),
  readAt: isoDate,
  basis: z.enum(BASES, { error: `basis must be one of ${BASES.join(', ')}` }),
  derivedFrom: z.strictObject({ region: regionName, factor: z.number().positive().finite() }).optional(),
  notes: z.string().optional(),
};

function entryOf<U extends PriceUnit>(unit: U) {
  return z
    .strictObject({ ...entryFields, unit: z.literal(unit, { error: `unit must be "${unit}" for this price` }) })
    .superRefine((e, ctx) => {
      if (e.basis === 'derived' && !e.derivedFrom) {
        ctx.addIssue({
          code: 'custom',
          path: ['derivedFrom'],
          message: 'a derived price needs derivedFrom { region, factor } — say what it was computed from',
        });
      }
      if (e.basis !== 'derived' && e.derivedFrom) {
        ctx.addIssue({ code: 'custom', path: ['basis'], message: 'derivedFrom is set, so basis must be "derived"' });
      }
      if (e.basis === 'derived' && !e.notes) {
        ctx.addIssue({
          code: 'custom',
          path: ['notes'],
          message: 'a derived price needs notes saying why the factor, and that it is unverified',
        });
      }
    });
}

const hourly = entryOf('hour');
const instanceTable = z.record(z.string().min(1), hourly);

const RegionPricesSchema = z.strictObject({
  /** On-demand Linux, shared tenancy: instance type → $/hour. */
  ec2: instanceTable,
  alb: z.strictObject({ hour: hourly, lcuHour: entryOf('LCU-hour') }),
  aurora: z.strictObject({
    /** Aurora MySQL DB instance class → $/hour under each storage configuration. */
    instances: z.record(z.string().min(1), z.strictObject({ standard: hourly, ioOptimized: hourly })),
    standard: z.strictObject({ storage: entryOf('GB-month'), io: entryOf('1M requests') }),
    ioOptimized: z.strictObject({ storage: entryOf('GB-month') }),
  }),
  elasticache: z.strictObject({ redis: instanceTable, valkey: instanceTable }),
  efs: z.strictObject({ storage: entryOf('GB-month'), elasticRead: entryOf('GB'), elasticWrite: entryOf('GB') }),
  nat: z.strictObject({ hour: hourly, gb: entryOf('GB') }),
  dataTransferOut: z.strictObject({ gb: entryOf('GB') }),
  cloudwatch: z.strictObject({ getMetricData: entryOf('1000 metrics') }),
  /** Bytes between Availability Zones of the region (each direction is billed). Optional: priced as 0 when absent, and said so. */
  interAz: z.strictObject({ gb: entryOf('GB') }).optional(),
  /** S3 Standard requests: tier 1 (PUT, COPY, POST, LIST), tier 2 (GET, HEAD). Optional like interAz. */
  s3: z.strictObject({ tier1: entryOf('1000 requests'), tier2: entryOf('1000 requests') }).optional(),
});

export const PriceBookSchema = z.strictObject({
  schema: z.literal('rehearse.price-book/v1', { error: 'schema must be "rehearse.price-book/v1"' }),
  currency: z.literal('USD', { error: 'currency must be "USD"' }),
  /** When the book as a whole was assembled and checked; staleness is measured from it. */
  asOf: isoDate,
  description: z.string().optional(),
  /** How AWS counts: bytes in a billed GB, hours in a GB-month. */
  units: z.strictObject({
    bytesPerGb: z.number().positive().finite(),
    hoursPerMonth: z.number().positive().finite(),
    source: z.string().min(1),
    readAt: isoDate,
    notes: z.string().optional(),
  }),
  /** What one ALB LCU buys per hour; billed on the highest of the four dimensions. */
  albLcu: z.strictObject({
    newConnectionsPerSecond: z.number().positive(),
    activeConnectionsPerMinute: z.number().positive(),
    processedGbPerHour: z.number().positive(),
    ruleEvaluationsPerSecond: z.number().positive(),
    freeRulesPerRequest: z.number().int().nonnegative(),
    source: z.string().min(1),
    readAt: isoDate,
  }),
  regions: z
    .record(regionName, RegionPricesSchema)
    .refine((r) => Object.keys(r).length > 0, { error: 'regions needs at least one region, e.g. "us-east-1"' }),
});

export type PriceBook = z.infer<typeof PriceBookSchema>;
export type RegionPrices = z.infer<typeof RegionPricesSchema>;
export type PriceEntry =
  | z.infer<typeof hourly>
  | RegionPrices['alb']['lcuHour']
  | RegionPrices['efs']['storage']
  | RegionPrices['efs']['elasticRead']
  | RegionPrices['aurora']['standard']['io']
  | RegionPrices['cloudwatch']['getMetricData']
  | NonNullable<RegionPrices['s3']>['tier1'];
export type AlbLcuDefinition = PriceBook['albLcu'];
