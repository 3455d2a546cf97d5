// The plan, as every VU sees it. Read once from __ENV.REHEARSE_PLAN (absolute path) in the
// first VU's init and shared through SharedArray, so a thousand VUs neither re-parse the plan nor
// each hold a copy of the catalogue.

import { SharedArray } from 'k6/data';
import type { Plan } from '../../plan/plan-schema.ts';

export type RunPlan = Omit<Plan, 'catalogue'>;

export interface BrowsableCategory {
  slug: string;
  name: string;
  path: string;
  /** This category's products are products[first .. first + count). */
  first: number;
  count: number;
}

export interface CatalogueProduct {
  id: number;
  slug: string;
  name: string;
  path: string;
  category: string;
  price: number | string;
}

const PLAN_SCHEMA = 'rehearse.plan/v2';

let parsed: Plan | undefined;

function readPlan(): Plan {
  if (parsed) return parsed;
  const path = __ENV.REHEARSE_PLAN;
  if (!path) throw new Error('REHEARSE_PLAN is not set — run k6 with -e REHEARSE_PLAN=/absolute/path/plan.json');
  if (!/^(\/|[A-Za-z]:[\\/])/.test(path)) {
    throw new Error(
      `REHEARSE_PLAN "${path}" must be an absolute path (k6 resolves relative paths against the script, not the working directory)`,
    );
  }
  const plan = JSON.parse(open(path)) as Plan;
  if (plan.schema !== PLAN_SCHEMA)
    throw new Error(`plan ${path}: schema is "${plan.schema}", expected "${PLAN_SCHEMA}" — rebuild the plan`);
  checkHost(plan, path);
  parsed = plan;
  return plan;
}

/** The host of an absolute http(s) URL as written, lower case, without brackets or a final dot; '' if none. */
export function hostOf(url: string): string {
  const m = /^https?:\/\/(?:\[([^\]]+)\]|([^/:?#]+))/i.exec(url);
  return (m?.[1] ?? m?.[2] ?? '').toLowerCase().replace(/\.$/, '');
}

function allowList(p: Pick<Plan, 'target'>): string[] {
  return p.target.allowHosts.map((h) =>
    h
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/\.$/, ''),
  );
}

/** The plan stage already refused other hosts; check again so a hand-edited plan cannot slip through. */
function checkHost(plan: Plan, path: string): void {
  const host = hostOf(plan.target.baseUrl);
  const allowed = allowList(plan);
  if (!host || !allowed.includes(host)) {
    throw new Error(
      `plan ${path}: target.baseUrl host "${host}" is not on target.allowHosts (${allowed.join(', ')}) — refusing to send load`,
    );
  }
}

export const plan: RunPlan = new SharedArray<RunPlan>('rehearse:plan', () => {
  const { catalogue: _omitted, ...rest } = readPlan();
  return [rest];
})[0]!;

/** Products grouped by category, in the order of the catalogue's categories. */
export const products: CatalogueProduct[] = new SharedArray<CatalogueProduct>('rehearse:products', () => {
  const { categories, products: all } = readPlan().catalogue;
  const order = new Map(categories.map((c, i) => [c.slug, i]));
  return all
    .map(({ id, slug, name, path, category, price }) => ({ id, slug, name, path, category, price }))
    .sort((a, b) => (order.get(a.category) ?? 0) - (order.get(b.category) ?? 0));
});

/** Categories that have at least one product. */
export const categories: BrowsableCategory[] = new SharedArray<BrowsableCategory>('rehearse:categories', () => {
  const { categories: all, products: items } = readPlan().catalogue;
  const counts = new Map<string, number>();
  for (const p of items) counts.set(p.category, (counts.get(p.category) ?? 0) + 1);
  let first = 0;
  const out: BrowsableCategory[] = [];
  for (const c of all) {
    const count = counts.get(c.slug) ?? 0;
    if (count > 0) out.push({ slug: c.slug, name: c.name, path: c.path, first, count });
    first += count;
  }
  return out;
});

/** Returning customers' usernames (empty when the catalogue has none). Passwords: REHEARSE_CUSTOMER_PASSWORD. */
export const customers: Array<{ username: string }> = new SharedArray<{ username: string }>('rehearse:customers', () =>
  (readPlan().catalogue.customers ?? []).map(({ username }) => ({ username })),
);

export const base = plan.target.baseUrl.replace(/\/+$/, '');
const allowedHosts = allowList(plan);

/** True when load may go to `url`: an absolute http(s) URL whose host is on the plan's allowlist. */
export function allowsUrl(url: string): boolean {
  const host = hostOf(url);
  return host !== '' && allowedHosts.includes(host);
}
let bust = 0;

/** Absolute URL of a store page (path, maybe with a query); with cacheBust, a unique query defeats page caches. */
export function storeUrl(path: string): string {
  if (!plan.cacheBust) return base + path;
  return `${base}${path}${path.includes('?') ? '&' : '?'}rehearse_cb=${__VU}.${__ITER}.${bust++}`;
}

/** Absolute URL of a Store API route (never cached, so never busted). */
export function apiUrl(route: string): string {
  return `${base}/wp-json/wc/store/v1/${route}`;
}
