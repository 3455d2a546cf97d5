import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assetUrls, MAX_ASSETS_PER_PAGE } from './asset-urls.ts';
import { linksTo, showsPrice, showsText } from './html.ts';
import { pathOf, resolveLocation } from './urls.ts';

const origin = 'http://127.0.0.1:8080';

describe('showsPrice', () => {
  it('finds the price as WooCommerce prints it, with or without a thousands separator', () => {
    const woo =
      '<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>1,234.50</bdi></span>';
    assert.ok(showsPrice(woo, 1234.5));
    assert.ok(showsPrice(woo, '1234.50'));
    assert.ok(showsPrice('<p class="price">$19.99</p>', '19.99'));
    assert.ok(showsPrice('<p class="price">$1234.50</p>', 1234.5));
  });
  it('does not take a longer number for the price', () => {
    assert.ok(!showsPrice('<p class="price">$119.99</p>', 19.99));
    assert.ok(!showsPrice('<p class="price">$19.995</p>', 19.99));
    assert.ok(!showsPrice('<p class="price">$20.00</p>', 19.99));
    assert.ok(!showsPrice('<p>1,234.50</p>', 234.5));
  });
});

describe('showsText and linksTo', () => {
  it('match WordPress escaping and absolute links', () => {
    assert.ok(showsText('<h1>Kettle &amp; Toaster &lt;2&gt;</h1>', 'Kettle & Toaster <2>'));
    assert.ok(showsText('<h1>Kettle &#038; Toaster</h1>', 'Kettle & Toaster'));
    assert.ok(linksTo(`<a href="${origin}/shop/">Shop</a>`, '/shop/'));
    assert.ok(!linksTo(`<a href="${origin}/shop/x/">Shop</a>`, '/shop/'));
  });
});

describe('resolveLocation and pathOf', () => {
  it('resolves absolute, protocol-relative, root-relative and relative locations', () => {
    assert.equal(resolveLocation(`${origin}/?s=kettle`, `${origin}/product/kettle/`), `${origin}/product/kettle/`);
    assert.equal(resolveLocation(`${origin}/a/b?x=1`, '//localhost:9/p/'), 'http://localhost:9/p/');
    assert.equal(resolveLocation(`${origin}/a/b?x=1`, '/p/'), `${origin}/p/`);
    assert.equal(resolveLocation(`${origin}/a/b?x=/y/z`, 'c'), `${origin}/a/c`);
  });
  it('takes the path of a URL without query or fragment', () => {
    assert.equal(pathOf(`${origin}/product/kettle/?rehearse_cb=1.2.3`), '/product/kettle/');
    assert.equal(pathOf(`${origin}`), '/');
    assert.equal(pathOf(`${origin}/a#b`), '/a');
  });
});

describe('assetUrls', () => {
  it('follows what a block theme page references: every same-origin stylesheet, script and module preload', () => {
    const css = Array.from(
      { length: 22 },
      (_, i) =>
        `<link rel='stylesheet' id='s${i}-css' href='${origin}/wp-includes/css/s${i}.css?ver=6.8&#038;x=1' media='all' />`,
    );
    const js = Array.from(
      { length: 15 },
      (_, i) => `<script src="/wp-content/plugins/woocommerce/j${i}.js?ver=10.0.2" id="j${i}-js"></script>`,
    );
    const mods = [
      `<link rel="modulepreload" href="${origin}/wp-includes/js/dist/script-modules/interactivity/index.min.js?ver=1" id="m-js-modulepreload">`,
    ];
    const other = [
      `<script src="https://cdn.example.invalid/x.js"></script>`,
      '<link rel="stylesheet" href="//fonts.example.invalid/f.css">',
      `<link rel='stylesheet' href='${origin}/wp-includes/css/s0.css?ver=6.8&#038;x=1' />`,
      '<script>inline()</script>',
      '<img src="/wp-content/uploads/p.png" alt="">',
    ];
    const got = assetUrls([...css, ...js, ...mods, ...other].join('\n'), origin);
    assert.equal(got.filter((a) => a.kind === 'css').length, 22);
    assert.equal(got.filter((a) => a.kind === 'js').length, 16);
    assert.equal(got.filter((a) => a.kind === 'img').length, 1);
    assert.equal(got[0]!.url, `${origin}/wp-includes/css/s0.css?ver=6.8&x=1`, 'entities decoded');
    assert.ok(
      got.every((a) => a.url.startsWith(`${origin}/`)),
      'same origin only',
    );
    assert.ok(got.length <= MAX_ASSETS_PER_PAGE, 'a block theme page fits under the cap');
  });
});
