// `rehearse prices check` as a user meets it: the repo's book passes; a broken one exits 2 naming the field.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../testing/run-cli.ts';

const BOOK = fileURLToPath(new URL('../../reports/price-book/prices.json', import.meta.url));
const prices = (args: string[]) => runCli(['prices', ...args]);

test("the repo's price book checks out and says its date", async () => {
  const res = await prices(['check', '--book', BOOK]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /prices as of \d{4}-\d\d-\d\d \(\d+ days old\)/);
});

test('a malformed price book exits 2 naming the file and the field; a stale one fails only with --strict', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-prices-'));
  try {
    const book = JSON.parse(await readFile(BOOK, 'utf8'));
    const broken = join(dir, 'broken.json');
    book.regions['us-east-1'].alb.hour.usd = -1;
    await writeFile(broken, JSON.stringify(book));
    const bad = await prices(['check', '--book', broken]);
    assert.equal(bad.status, 2, bad.stderr);
    assert.ok(bad.stderr.includes(broken));
    assert.match(bad.stderr, /regions\.us-east-1\.alb\.hour\.usd|regions\["us-east-1"\]\.alb\.hour\.usd/);

    book.regions['us-east-1'].alb.hour.usd = 0.0225;
    book.asOf = '2020-01-01';
    const stale = join(dir, 'stale.json');
    await writeFile(stale, JSON.stringify(book));
    const warned = await prices(['check', '--book', stale]);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /warning: .*2020-01-01/);
    assert.equal((await prices(['check', '--book', stale, '--strict'])).status, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
