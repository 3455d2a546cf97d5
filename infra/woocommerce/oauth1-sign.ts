// WooCommerce's REST authentication over plain HTTP: one-legged OAuth 1.0a, HMAC-SHA256, the
// parameters in the query string. The consumer secret signs the request and never travels (over
// HTTPS WooCommerce takes the key as Basic auth instead). WooCommerce builds the signature base
// string its own way (class-wc-rest-authentication.php check_oauth_signature): parameters sorted
// by name, each name and value rawurlencoded once and joined with %3D and %26 (no second
// encoding, unlike RFC 5849), after the method and the rawurlencoded URL without its query.
import { createHmac, randomBytes } from 'node:crypto';

/** PHP's rawurlencode (RFC 3986): everything but A-Z a-z 0-9 - _ . ~ is escaped. */
export function rawurlencode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The string WooCommerce signs, for a URL whose query holds every parameter but oauth_signature. */
export function wooSignatureBase(method: string, url: URL): string {
  const base = `${url.protocol}//${url.host}${url.pathname}`;
  const params = [...url.searchParams].filter(([k]) => k !== 'oauth_signature');
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.map(([k, v]) => `${rawurlencode(k)}%3D${rawurlencode(v)}`).join('%26');
  return `${method.toUpperCase()}&${rawurlencode(base)}&${query}`;
}

export function wooSignature(base: string, secret: string): string {
  return createHmac('sha256', `${secret}&`).update(base).digest('base64');
}

/** A copy of url with the OAuth parameters and signature added. */
export function signWooUrl(url: URL, key: string, secret: string, now = Date.now()): URL {
  const signed = new URL(url);
  signed.searchParams.set('oauth_consumer_key', key);
  signed.searchParams.set('oauth_timestamp', String(Math.floor(now / 1000)));
  signed.searchParams.set('oauth_nonce', randomBytes(16).toString('hex'));
  signed.searchParams.set('oauth_signature_method', 'HMAC-SHA256');
  signed.searchParams.set('oauth_signature', wooSignature(wooSignatureBase('GET', signed), secret));
  return signed;
}
