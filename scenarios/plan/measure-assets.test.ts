// Assets per page as measured on a store's own pages: read as the k6 journeys read them (one
// browser cache per visit), from fake stores on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { fakeStoreAssets, smallCatalogue, startFakeStore } from '../test-support/fake-store.ts';
import { assetsOfVisit, measureAssets } from './measure-assets.ts';

const O = 'http://127.0.0.1:8080';
const css = (n: number) => `<link rel='stylesheet' href='${O}/wp-content/s${n}.css' />`;
const img = (n: number) => `<img src="/wp-content/uploads/p${n}.jpg">`;

describe('assetsOfVisit', () => {
  it('counts the first page’s assets, then the mean of what each later page adds to the visit', () => {
    const home = css(1) + css(2) + img(1);
    const category = css(1) + css(2) + img(2) + img(3) + img(4);
    const product = css(1) + css(2) + img(2);
    assert.deepEqual(assetsOfVisit([home, category, product], `${O}/`), { first: 3, later: 1.5 });
    assert.deepEqual(assetsOfVisit([home], O), { first: 3, later: 0 });
    assert.deepEqual(assetsOfVisit([], O), { first: 0, later: 0 });
  });

  it('leaves out other origins and stops at the 48 assets k6 loads per page', () => {
    const cdn = `<script src="https://cdn.example/x.js"></script>`;
    assert.deepEqual(assetsOfVisit([cdn + css(1)], O), { first: 1, later: 0 });
    const many = Array.from({ length: 60 }, (_, i) => css(i)).join('');
    assert.deepEqual(assetsOfVisit([many, many], O), { first: 48, later: 12 });
  });
});

describe('measureAssets', () => {
  for (const theme of ['classic', 'block'] as const) {
    it(`measures the fake store’s ${theme} pages as fakeStoreAssets says (home, a category, a product)`, async () => {
      const catalogue = smallCatalogue(2, 3);
      const store = await startFakeStore(catalogue, { theme });
      try {
        const m = await measureAssets(store.baseUrl, catalogue, ['127.0.0.1']);
        assert.ok(!('failed' in m), JSON.stringify(m));
        const { source: _given, ...expected } = fakeStoreAssets(theme);
        assert.deepEqual({ first: m.first, later: m.later }, expected);
        assert.deepEqual(m.pages, ['/', '/product-category/cat-0/', '/product/item-001/']);
        assert.equal(store.hits.asset, 0, 'only the pages are fetched, not their assets');
      } finally {
        await store.close();
      }
    });
  }

  it('sends nothing to a host off the allowlist, and says why it did not measure', async () => {
    const catalogue = smallCatalogue(1, 1);
    const store = await startFakeStore(catalogue);
    try {
      const m = await measureAssets(store.baseUrl, catalogue, ['shop.example.com']);
      assert.ok('failed' in m && /not on the allowlist/.test(m.failed), JSON.stringify(m));
      assert.equal(store.requestTimes.length, 0);
    } finally {
      await store.close();
    }
  });

  it('does not follow a redirect, and reports a home page it could not read', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.writeHead(302, { location: 'http://shop.example.com/' }).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const m = await measureAssets(url, smallCatalogue(1, 1), ['127.0.0.1']);
      assert.ok('failed' in m && m.failed.includes('answered 302'), JSON.stringify(m));
      assert.equal(hits, 1);
    } finally {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    }
  });
});
