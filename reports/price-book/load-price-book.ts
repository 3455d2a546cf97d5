// Reads prices.json, checks it against the schema and says how old it is. A malformed book is an
// error naming the file and the field; a stale one (asOf older than maxAgeDays) is a warning the
// report shows, or an error when the caller asks for strict mode.

import { readFile } from 'node:fs/promises';
import { fromZodIssues } from '../../scenarios/profile/issues.ts';
import { PRICE_BOOK_DOCS, PriceBookError, PriceBookSchema, type PriceBook } from './price-book-schema.ts';

export const DEFAULT_MAX_AGE_DAYS = 120;
export const DEFAULT_PRICE_BOOK_PATH = 'reports/price-book/prices.json';

export interface PriceBookOptions {
  /** The clock: when the book is being used. */
  now: Date;
  /** Older than this many days → stale. Default 120. */
  maxAgeDays?: number;
  /** Stale → throw instead of warn. */
  strict?: boolean;
}

export interface LoadedPriceBook {
  book: PriceBook;
  /** Where it came from, for messages ("price book reports/price-book/prices.json: ..."). */
  path: string;
  asOf: string;
  ageDays: number;
  /** The oldest readAt of any entry: a book can be checked today and still carry old reads. */
  oldestReadAt: string;
  /** Lines a report can print as they are (e.g. staleness). */
  warnings: string[];
}

export async function loadPriceBook(path: string, opts: PriceBookOptions): Promise<LoadedPriceBook> {
  const where = `price book ${path}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? `no such file — the repo keeps one at ${DEFAULT_PRICE_BOOK_PATH}`
        : `cannot be read (${code ?? String(e)})`;
    throw new PriceBookError(where, [{ path: [], message }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PriceBookError(where, [
      { path: [], message: `not valid JSON (${(e as Error).message}) — fix the syntax or restore it from git` },
    ]);
  }
  return checkPriceBook(data, path, opts);
}

/** The pure part of loadPriceBook: parsed JSON in, a checked and dated book out. */
export function checkPriceBook(data: unknown, path: string, opts: PriceBookOptions): LoadedPriceBook {
  const where = `price book ${path}`;
  const r = PriceBookSchema.safeParse(data);
  if (!r.success) throw new PriceBookError(where, fromZodIssues(r.error.issues, PRICE_BOOK_DOCS));
  const book = r.data;
  const maxAgeDays = opts.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  if (!(maxAgeDays >= 0))
    throw new PriceBookError(where, [{ path: [], message: `maxAgeDays must be ≥ 0 (got ${maxAgeDays})` }]);
  const ageDays = daysBetween(book.asOf, opts.now);
  const warnings: string[] = [];
  if (ageDays < 0) {
    warnings.push(`${where} is dated ${book.asOf}, after today (${isoDay(opts.now)}) — check asOf`);
  }
  if (ageDays > maxAgeDays) {
    const message =
      `is dated ${book.asOf}, ${ageDays} days old (limit ${maxAgeDays}): AWS prices may have changed — ` +
      'refresh it (reports/price-book/refresh-from-price-list.ts) and update asOf, or allow an older book';
    if (opts.strict) throw new PriceBookError(where, [{ path: ['asOf'], message }]);
    warnings.push(`${where} ${message}`);
  }
  return { book, path, asOf: book.asOf, ageDays, oldestReadAt: oldestReadAt(book), warnings };
}

function daysBetween(isoDate: string, now: Date): number {
  const start = Date.parse(`${isoDate}T00:00:00Z`);
  return Math.floor((now.getTime() - start) / 86_400_000);
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function oldestReadAt(book: PriceBook): string {
  let oldest = book.units.readAt < book.albLcu.readAt ? book.units.readAt : book.albLcu.readAt;
  const visit = (v: unknown): void => {
    if (!v || typeof v !== 'object') return;
    const readAt = (v as { readAt?: unknown }).readAt;
    if (typeof readAt === 'string' && readAt < oldest) oldest = readAt;
    for (const child of Object.values(v)) visit(child);
  };
  visit(book.regions);
  return oldest;
}
