import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyUrl, DEFAULT_RULES, parseRules } from './classify.ts';

describe('URL classes', () => {
  it('knows WooCommerce’s URLs', () => {
    const cases: Array<[string, string]> = [
      ['/', 'browse'],
      ['/?utm_source=mail', 'browse'],
      ['/product/blue-kettle/', 'browse'],
      ['/product-category/kitchen/page/2/', 'browse'],
      ['/shop/', 'browse'],
      ['/?wc-ajax=get_refreshed_fragments', 'browse'],
      ['/wp-json/wc/store/v1/products?per_page=10', 'browse'],
      ['/?s=kettle&post_type=product', 'search'],
      ['/wp-json/wc/store/v1/products?per_page=5&search=kettle', 'search'],
      ['/product/kettle/?add-to-cart=42', 'cart'],
      ['/cart/', 'cart'],
      ['/?wc-ajax=add_to_cart', 'cart'],
      ['/wp-json/wc/store/v1/cart/add-item', 'cart'],
      ['/checkout/', 'checkout'],
      ['/checkout/order-received/123/?key=wc_order_x', 'checkout'],
      ['/?wc-ajax=update_order_review', 'checkout'],
      ['/wp-json/wc/store/v1/checkout', 'checkout'],
      ['/my-account/orders/', 'returning'],
      ['/wp-login.php', 'returning'],
      ['/wp-content/uploads/2026/11/kettle.jpg', 'asset'],
      ['/style.css?ver=6.6', 'asset'],
      ['/wp-admin/admin-ajax.php', 'admin'],
      ['/wp-cron.php?doing_wp_cron=1', 'admin'],
      ['/wp-json/wp/v2/users', 'admin'],
      ['/about-us/', 'browse'],
      ['/cartography/', 'browse'],
    ];
    for (const [url, cls] of cases) assert.equal(classifyUrl(url, DEFAULT_RULES), cls, url);
  });

  it('a shop’s own rules come first, in file order, then the defaults', () => {
    const rules = parseRules(
      JSON.stringify({ '^/boutique/': 'browse', '^/panier/': 'cart', '^/cart/': 'search' }),
      'fr.json',
    );
    assert.equal(classifyUrl('/panier/', rules), 'cart');
    assert.equal(classifyUrl('/cart/', rules), 'search');
    assert.equal(classifyUrl('/checkout/', rules), 'checkout');
  });

  it('bad rules name the file, the key and the fix', () => {
    assert.throws(
      () => parseRules('{"(": "browse"}', 'r.json'),
      /^RulesError: URL rules r\.json: \["\("\]: not a regular expression .* JSON doubles backslashes/,
    );
    assert.throws(
      () => parseRules('{"^/x": "shopping"}', 'r.json'),
      /URL rules r\.json: \["\^\/x"\]: the class must be one of: browse, search/,
    );
    assert.throws(() => parseRules('[1]', 'r.json'), /rules must be a JSON object/);
    assert.throws(() => parseRules('{', 'r.json'), /URL rules r\.json: \(top level\): not valid JSON/);
  });
});
