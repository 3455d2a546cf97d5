// What one request of the replica's shop costs: the WooCommerce calibration (per endpoint PHP CPU,
// DB CPU, queries, measured on real WooCommerce) or the light shop (no added cost, for quick
// tests). The calibration is checked here and handed to PHP (rehearse-cost.php) through wp-config.php.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../errors/errors.ts';
import { FIXTURE_SRC } from './layout.ts';

export const SHOP_COSTS = ['calibrated', 'light'] as const;
export type ShopCostMode = (typeof SHOP_COSTS)[number];
export const DEFAULT_SHOP_COST: ShopCostMode = 'calibrated';
export const DEFAULT_CALIBRATION = path.join(FIXTURE_SRC, 'calibration', 'woocommerce-10.0.2.json');

/** The endpoints the fixture names (rehearse-cost.php): every one needs a target. */
export const ENDPOINTS = [
  'home',
  'category',
  'product',
  'search',
  'search_one',
  'store_products',
  'cart_new',
  'add_item',
  'cart',
  'checkout',
  'my_account',
  'my_account_orders',
] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

const ms = z.number().positive().max(10_000);
const count = z.number().int().min(0).max(100_000);
const target = z.object({ php_cpu_ms: ms, db_cpu_ms: ms, queries: count.min(1) }).strict();
const split = z.object({ select: count, insert: count, update: count, delete: count }).strict();

export const calibrationSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a short name like woocommerce-10.0.2'),
    description: z.string().min(1),
    source: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD'),
    endpoints: z
      .object({
        ...(Object.fromEntries(ENDPOINTS.filter((e) => e !== 'checkout').map((e) => [e, target])) as Record<
          Endpoint,
          typeof target
        >),
        checkout: target.extend({ split }),
      })
      .strict(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const co = (c.endpoints as unknown as { checkout: z.infer<typeof target> & { split: z.infer<typeof split> } })
      .checkout;
    const writes = co.split.select + co.split.insert + co.split.update + co.split.delete;
    if (writes > co.queries) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoints', 'checkout', 'split'],
        message: `the split adds up to ${writes}, more than queries (${co.queries})`,
      });
    }
  });

export interface EndpointTarget {
  php_cpu_ms: number;
  db_cpu_ms: number;
  queries: number;
  split?: { select: number; insert: number; update: number; delete: number };
}
export interface Calibration {
  name: string;
  description: string;
  source: string;
  date: string;
  endpoints: Record<Endpoint, EndpointTarget>;
}

/** Reads and checks a calibration file; bad input names the file, the field and the fix. */
export function loadCalibration(file = DEFAULT_CALIBRATION): Calibration {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(
      `calibration ${file}: ${(e as Error).message}; give a JSON file shaped like ${DEFAULT_CALIBRATION}`,
    );
  }
  const r = calibrationSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputError(
      `calibration ${file}: ${i.path.join('.') || '(root)'}: ${i.message}; fix that field (see ${DEFAULT_CALIBRATION})`,
    );
  }
  return r.data as unknown as Calibration;
}

export function parseShopCost(value: string | undefined, where = '--shop-cost'): ShopCostMode {
  if (value === undefined) return DEFAULT_SHOP_COST;
  if ((SHOP_COSTS as readonly string[]).includes(value)) return value as ShopCostMode;
  throw new InputError(`${where} ${value}: choose ${SHOP_COSTS.join(' or ')}`);
}

/** The calibration PHP runs with (null: the light shop). */
export function resolveShopCost(mode: ShopCostMode = DEFAULT_SHOP_COST, file?: string): Calibration | null {
  return mode === 'light' ? null : loadCalibration(file);
}

/** The start-up line saying what the shop costs. */
export function describeShopCost(c: Calibration | null): string {
  if (!c) return 'local replica: shop cost light (no added cost; capacity figures are several times too high)';
  const p = c.endpoints.product;
  const co = c.endpoints.checkout;
  return (
    `local replica: shop cost calibrated to ${c.name} (${c.source}, ${c.date}): product page ${p.php_cpu_ms} ms PHP, ` +
    `${p.queries} queries; checkout ${co.php_cpu_ms} ms PHP, ${co.queries} queries`
  );
}
