// rehearse prices check|refresh: the dated price book the cost model reads.
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { DEFAULT_PRICE_BOOK_PATH, loadPriceBook } from '../../reports/price-book/load-price-book.ts';
import { applyRefresh, refreshPrices, type GetProducts } from '../../reports/price-book/refresh-from-price-list.ts';
import { writeFileAtomic } from '../../reports/record/atomic-write.ts';
import { preflight } from '../../infra/aws/lifecycle/preflight.ts';
import { log, newCommand, parsePositive, out } from './command.ts';

export function pricesCommand() {
  const prices = newCommand('prices').description('check the price book, or refresh it from the AWS Price List API');
  prices.addCommand(
    newCommand('check')
      .description('validate the price book and say how old it is (exit 2 when malformed, or stale with --strict)')
      .option('--book <file>', 'price book', DEFAULT_PRICE_BOOK_PATH)
      .option('--max-age-days <n>', 'older than this is stale', parsePositive('--max-age-days'), 120)
      .option('--strict', 'a stale book is an error, not a warning')
      .action(async (flags: { book: string; maxAgeDays: number; strict?: boolean }) => {
        const loaded = await loadPriceBook(flags.book, {
          now: new Date(),
          maxAgeDays: flags.maxAgeDays,
          strict: flags.strict,
        });
        out(
          `${flags.book}: prices as of ${loaded.asOf} (${Math.round(loaded.ageDays)} days old), oldest read ${loaded.oldestReadAt}\n`,
        );
        for (const w of loaded.warnings) log(`warning: ${w}`);
      }),
  );
  prices.addCommand(
    newCommand('refresh')
      .description(
        'read per-type prices (EC2, Aurora, ElastiCache) from the Price List API into the book; needs AWS credentials',
      )
      .option('--book <file>', 'price book to update in place', DEFAULT_PRICE_BOOK_PATH)
      .option('--dry-run', 'print the changes, write nothing')
      .action(async (flags: { book: string; dryRun?: boolean }) => {
        preflight({ requireTerraform: false });
        const loaded = await loadPriceBook(flags.book, { now: new Date() });
        // The Price List API answers from us-east-1 (and a few other regions) for every region's prices.
        const client = new PricingClient({
          region: 'us-east-1',
          ...(process.env.REHEARSE_AWS_ENDPOINT ? { endpoint: process.env.REHEARSE_AWS_ENDPOINT } : {}),
        });
        const getProducts: GetProducts = (input) =>
          client.send(new GetProductsCommand(input as ConstructorParameters<typeof GetProductsCommand>[0]));
        const res = await refreshPrices(getProducts, loaded.book, { now: new Date() });
        for (const p of res.problems) log(`not refreshed: ${p}`);
        const { book, changes } = applyRefresh(loaded.book, res.entries);
        for (const c of changes) out(`${c.path}: ${c.from ?? '—'} → ${c.to}\n`);
        if (flags.dryRun || changes.length === 0) {
          log(changes.length ? 'dry run: nothing written' : 'no price changed');
          return;
        }
        await writeFileAtomic(flags.book, `${JSON.stringify(book, null, 2)}\n`);
        log(`${changes.length} price(s) updated in ${flags.book}; review the diff before committing`);
      }),
  );
  return prices;
}
