// The store's catalogue as the local replica (or a crawl of a real store) writes it: which
// categories and products the journeys can visit. Pure schema and validation (the k6 side
// imports its types); reading the file: catalogue-file.ts.

import { z } from 'zod';
import { fromZodIssues } from '../profile/issues.ts';
import { PlanError } from './plan-error.ts';

/** A URL path on the store: starts with one "/", so it can never name another host. */
const UrlPath = z.string().regex(/^\/(?!\/)[^\s?#]*$/, {
  error: 'must be a URL path on the store like "/product/blue-kettle-042/" (leading "/", no host, query or spaces)',
});

export const CategorySchema = z.object({
  slug: z.string().min(1),
  name: z.string().min(1),
  path: UrlPath,
});

export const ProductSchema = z.object({
  id: z.number().int().positive(),
  slug: z.string().min(1),
  name: z.string().min(1),
  path: UrlPath,
  /** Slug of the product's category. */
  category: z.string().min(1),
  price: z.union([z.number(), z.string()]),
});

/** A returning customer's login. Their shared password is never in the catalogue: k6 gets it from REHEARSE_CUSTOMER_PASSWORD. */
export const CustomerSchema = z.strictObject({
  username: z.string().min(1),
});

export const CatalogueSchema = z
  .object({
    version: z.literal(1, { error: 'version must be 1 — this Rehearse reads catalogue format 1' }),
    categories: z.array(CategorySchema),
    products: z.array(ProductSchema),
    /** Optional: stores without seeded customers simply have no returning-customer journey data. */
    customers: z.array(CustomerSchema).optional(),
  })
  .superRefine((c, ctx) => {
    const slugs = new Set(c.categories.map((x) => x.slug));
    c.products.forEach((p, i) => {
      if (!slugs.has(p.category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['products', i, 'category'],
          message: `category "${p.category}" is not in categories[] — add it there or fix the slug`,
        });
      }
    });
  });

export type Category = z.infer<typeof CategorySchema>;
export type Product = z.infer<typeof ProductSchema>;
export type Customer = z.infer<typeof CustomerSchema>;
export type Catalogue = z.infer<typeof CatalogueSchema>;

const DOCS = 'the catalogue format in scenarios/README.md';

/** Validates parsed JSON as a catalogue; `label` names it in errors ("catalogue c.json"). */
export function validateCatalogue(data: unknown, label: string): Catalogue {
  const r = CatalogueSchema.safeParse(data);
  if (r.success) return r.data;
  throw new PlanError(label, fromZodIssues(r.error.issues, DOCS));
}
