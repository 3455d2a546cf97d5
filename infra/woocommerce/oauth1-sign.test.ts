// The OAuth 1.0a signature WooCommerce checks over HTTP, against a known answer computed apart
// (Python's urllib.parse.quote and hmac on the same request).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rawurlencode, signWooUrl, wooSignature, wooSignatureBase } from './oauth1-sign.ts';

test("the base string is WooCommerce's: sorted, each name and value encoded once, joined with %3D and %26", () => {
  const url = new URL('http://127.0.0.1:8080/wp-json/wc/v3/orders?status=any&include=1,2,3&per_page=100');
  for (const [k, v] of Object.entries({
    oauth_consumer_key: 'ck_test',
    oauth_timestamp: '1796000000',
    oauth_nonce: 'abc123',
    oauth_signature_method: 'HMAC-SHA256',
  }))
    url.searchParams.set(k, v);
  const base = wooSignatureBase('get', url);
  assert.equal(
    base,
    'GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwp-json%2Fwc%2Fv3%2Forders&include%3D1%2C2%2C3%26oauth_consumer_key%3Dck_test%26' +
      'oauth_nonce%3Dabc123%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1796000000%26per_page%3D100%26status%3Dany',
  );
  assert.equal(wooSignature(base, 'cs_secret'), 'gZ3Oap4Swd+wOUyFhwQDtHRo0NnXKyLAu8a4uX7II8g=');
  assert.equal(rawurlencode("a b!*'()~"), 'a%20b%21%2A%27%28%29~');
});

test('a signed URL carries the key, a fresh nonce and the signature, never the secret', () => {
  const u = new URL('http://shop.example.invalid/wp-json/wc/v3/products?stock_status=outofstock');
  const a = signWooUrl(u, 'ck_1', 'cs_never_sent', 1_796_000_000_000);
  const b = signWooUrl(u, 'ck_1', 'cs_never_sent', 1_796_000_000_000);
  assert.equal(a.searchParams.get('oauth_consumer_key'), 'ck_1');
  assert.equal(a.searchParams.get('oauth_timestamp'), '1796000000');
  assert.notEqual(a.searchParams.get('oauth_nonce'), b.searchParams.get('oauth_nonce'));
  assert.equal(a.searchParams.get('oauth_signature'), wooSignature(wooSignatureBase('GET', a), 'cs_never_sent'));
  assert.doesNotMatch(a.toString(), /cs_never_sent/);
  assert.equal(u.search, '?stock_status=outofstock', 'the original URL is left alone');
});
