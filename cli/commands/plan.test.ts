// `rehearse plan`'s load flags as a user meets them: --peak-rps counts every request (assets
// measured on the target), --max-rps caps the requests/s, bad values exit 2 naming the flag and
// nothing is written. The target is a fake store on 127.0.0.1.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smallCatalogue, startFakeStore, type FakeStore } from '../../scenarios/test-support/fake-store.ts';
import { runCli } from '../testing/run-cli.ts';
import { parseAssetsPerPage } from './plan.ts';

describe('--assets-per-page', () => {
  it('takes one number for every page, or the first page’s and each later page’s', () => {
    assert.deepEqual(parseAssetsPerPage('40'), { first: 40, later: 40 });
    assert.deepEqual(parseAssetsPerPage('40,4'), { first: 40, later: 4 });
    assert.deepEqual(parseAssetsPerPage(' 0 , 2.5 '), { first: 0, later: 2.5 });
  });

  it('refuses what k6 would not load, naming the flag and the form', () => {
    for (const bad of ['60', '-1', '4,x', '1,2,3', '', ',4', 'many'])
      assert.throws(
        () => parseAssetsPerPage(bad),
        /--assets-per-page must be a number of assets from 0 to 48 \("40"\), or the first page's and each later page's \("40,4"\)/,
        bad,
      );
  });
});

describe('rehearse plan --peak-rps / --max-rps against a store on 127.0.0.1', () => {
  const catalogue = smallCatalogue(2, 3);
  let dir: string;
  let store: FakeStore;
  let catalogueFile: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-plan-cli-'));
    store = await startFakeStore(catalogue, { theme: 'block' });
    catalogueFile = join(dir, 'catalogue.json');
    await writeFile(catalogueFile, JSON.stringify(catalogue));
  });
  after(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const plan = (out: string, ...flags: string[]) =>
    runCli([
      'plan',
      '--target',
      'url',
      '--url',
      store.baseUrl,
      '--catalogue',
      catalogueFile,
      '--profile',
      'smoke',
      '--out',
      join(dir, out),
      ...flags,
    ]);
  const exists = (f: string) =>
    stat(join(dir, f)).then(
      () => true,
      () => false,
    );

  it('counts the assets it measured on the store’s pages, and says so', async () => {
    const res = await plan('measured.json', '--peak-rps', '200');
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stderr,
      /assets per page measured on \/, \/product-category\/cat-0\/, \/product\/item-001\/: 39 on a visit's first page, 0 on later ones/,
    );
    const p = JSON.parse(await readFile(join(dir, 'measured.json'), 'utf8'));
    assert.deepEqual(p.run.assetsPerPage, { first: 39, later: 0, source: 'measured' });
    assert.equal(p.run.peakRps, 200);
    assert.match(res.stderr, /journeys\/s × [\d.]+ requests each = 200 requests\/s, assets included \(cap 500\)/);
    // Every request of a start, 39 assets included: about 45 per start, so about 200 / 45 starts/s.
    assert.ok(p.run.requestsPerStart > 40, String(p.run.requestsPerStart));
    assert.ok(Math.abs(p.run.peakRate * p.run.requestsPerStart - 200) < 0.5);
  });

  it('--assets-per-page replaces the measurement', async () => {
    const res = await plan('given.json', '--peak-rps', '200', '--assets-per-page', '10,2');
    assert.equal(res.code, 0, res.stderr);
    const p = JSON.parse(await readFile(join(dir, 'given.json'), 'utf8'));
    assert.deepEqual(p.run.assetsPerPage, { first: 10, later: 2, source: 'given' });
  });

  it('above the request cap: exit 2 naming maxRps and --max-rps, no plan written; --max-rps raises it', async () => {
    const res = await plan('over.json', '--peak-rps', '600');
    assert.equal(res.code, 2, res.stderr);
    assert.match(
      res.stderr,
      /maxRps: peakRps 600\/s makes 600 requests\/s at the peak \(assets included\), above the request cap maxRps 500\/s — .*raise the cap with --max-rps/,
    );
    assert.equal(await exists('over.json'), false);
    // --peak-rate counts the same way: 20 journeys/s of ~45 requests each is over 500 requests/s.
    const byRate = await plan('over-rate.json', '--peak-rate', '20');
    assert.equal(byRate.code, 2, byRate.stderr);
    assert.match(byRate.stderr, /maxRps: peakRate 20\/s × [\d.]+ requests per journey start makes [\d.]+ requests\/s/);
    assert.equal(await exists('over-rate.json'), false);
    const raised = await plan('raised.json', '--peak-rps', '600', '--max-rps', '600');
    assert.equal(raised.code, 0, raised.stderr);
    assert.equal(JSON.parse(await readFile(join(dir, 'raised.json'), 'utf8')).run.maxRps, 600);
  });

  it('bad flag values exit 2 naming the flag', async () => {
    for (const [flags, message] of [
      [['--max-rps', '0'], /--max-rps must be a positive number, got "0"/],
      [['--max-rps', 'lots'], /--max-rps must be a positive number/],
      [['--assets-per-page', '60'], /--assets-per-page must be a number of assets from 0 to 48/],
    ] as const) {
      const res = await plan('bad.json', ...flags);
      assert.equal(res.code, 2, res.stderr);
      assert.match(res.stderr, message);
    }
    assert.equal(await exists('bad.json'), false);
  });
});
