// Which part of a shopper's visit a logged URL is: WooCommerce's URL patterns by default, with a
// shop's own rules (a JSON file of regex → class) checked first. Pure, except readRules.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatIssues, type Issue } from '../profile/issues.ts';
import { InputError } from '../../errors/errors.ts';

/** A URL's class. asset: static files; admin: not a shopper (wp-admin, cron, xmlrpc) — never replayed. */
export const URL_CLASSES = ['browse', 'search', 'cart', 'checkout', 'returning', 'asset', 'admin'] as const;
export type UrlClass = (typeof URL_CLASSES)[number];

export interface Rule {
  pattern: RegExp;
  urlClass: UrlClass;
}

const STORE_API = String.raw`^/(?:index\.php\?rest_route=|wp-json)/wc/store(?:/v\d+)?`;

/** Checked in order against path + query (case-insensitive); the first match wins. */
export const DEFAULT_RULES: readonly Rule[] = (
  [
    [String.raw`^/(?:wp-admin|wp-cron\.php|xmlrpc\.php|wp-json/(?!wc/store))`, 'admin'],
    [
      String.raw`^/(?:wp-content|wp-includes)/|\.(?:css|js|mjs|map|png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|eot)(?:\?|$)`,
      'asset',
    ],
    [
      String.raw`^/checkout(?:/|\?|$)|/order-received/|[?&]wc-ajax=(?:checkout|update_order_review)\b|${STORE_API}/checkout`,
      'checkout',
    ],
    [
      String.raw`[?&]add-to-cart=|^/cart(?:/|\?|$)|[?&]wc-ajax=(?:add_to_cart|remove_from_cart|apply_coupon)\b|${STORE_API}/cart`,
      'cart',
    ],
    [String.raw`^/my-account(?:/|\?|$)|^/wp-login\.php`, 'returning'],
    [String.raw`[?&]s=|^/search/|${STORE_API}/products\?(?:.*&)?search=`, 'search'],
    [
      String.raw`^/(?:product|product-category|product-tag|shop)(?:/|\?|$)|^/$|^/\?|[?&]wc-ajax=get_refreshed_fragments\b|${STORE_API}`,
      'browse',
    ],
  ] as const
).map(([p, c]) => ({ pattern: new RegExp(p, 'i'), urlClass: c }));

/** Anything no rule matches is a content page (about us, a blog post): browsing. */
export const FALLBACK_CLASS: UrlClass = 'browse';

export function classifyUrl(target: string, rules: readonly Rule[]): UrlClass {
  for (const r of rules) if (r.pattern.test(target)) return r.urlClass;
  return FALLBACK_CLASS;
}

export class RulesError extends InputError {
  constructor(
    readonly file: string,
    readonly issues: Issue[],
  ) {
    super(formatIssues(`URL rules ${file}`, issues));
  }
}

const RulesSchema = z.record(
  z.string(),
  z.enum(URL_CLASSES, { error: `the class must be one of: ${URL_CLASSES.join(', ')}` }),
  {
    error: 'rules must be a JSON object of "regex": "class", e.g. { "^/boutique/": "browse" }',
  },
);

/** A shop's own rules ({ "regex": "class" }, in file order), then the defaults. `file` labels errors. */
export function parseRules(text: string, file: string): Rule[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new RulesError(file, [
      { path: [], message: `not valid JSON (${(e as Error).message}) — fix the JSON syntax` },
    ]);
  }
  const parsed = RulesSchema.safeParse(data);
  if (!parsed.success)
    throw new RulesError(
      file,
      parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
    );
  const issues: Issue[] = [];
  const own: Rule[] = [];
  for (const [source, urlClass] of Object.entries(parsed.data)) {
    try {
      own.push({ pattern: new RegExp(source, 'i'), urlClass });
    } catch (e) {
      issues.push({
        path: [source],
        message: `not a regular expression (${(e as Error).message}) — fix it, remembering JSON doubles backslashes`,
      });
    }
  }
  if (issues.length) throw new RulesError(file, issues);
  return [...own, ...DEFAULT_RULES];
}

export async function readRules(path: string): Promise<Rule[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new RulesError(path, [
      { path: [], message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? e}) — check the --classify path` },
    ]);
  }
  return parseRules(text, path);
}
