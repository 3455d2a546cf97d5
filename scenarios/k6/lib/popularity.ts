// Which product a visitor looks at: a Zipf popularity skew over the catalogue, so a few
// doorbuster products get most views (and the page cache and stock rows feel it) as on a sale
// day. The cumulative weights are computed once, in the first VU's init, and shared.

import { SharedArray } from 'k6/data';
import { plan, products, type CatalogueProduct } from './plan-data.ts';
import { pickRank, rankOrder, zipfCdf } from './zipf.ts';

/**
 * Zipf exponent: rank r gets weight 1/r^s. s ≈ 1 is the classic web popularity curve (the top 1 %
 * of 300 products get ~30 % of views). From the profile's popularity.zipfS; REHEARSE_ZIPF_S
 * overrides it per run.
 */
export const ZIPF_S = Number(__ENV.REHEARSE_ZIPF_S ?? plan.popularity?.zipfS ?? 1);

const table = new SharedArray<[number, number]>('rehearse:popularity', () => {
  const order = rankOrder(products.length);
  return zipfCdf(products.length, ZIPF_S).map((c, r) => [c, order[r]!] as [number, number]);
});

export function popularProduct(): CatalogueProduct {
  const rank = pickRank((r) => table[r]![0], table.length, Math.random());
  return products[table[rank]![1]]!;
}
