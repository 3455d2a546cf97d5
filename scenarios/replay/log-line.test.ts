import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogLine, pathAndQuery } from './log-line.ts';

const ok = (line: string) => {
  const r = parseLogLine(line);
  assert.ok(r.ok, `not parsed: ${line}\n${!r.ok && r.reason}`);
  return r.request;
};

describe('access log lines', () => {
  it('combined: time zone, request, status, client, user agent with spaces and escaped quotes', () => {
    const r = ok(
      String.raw`203.0.113.7 - alice [27/Nov/2025:19:00:05 -0500] "GET /product/x/?a=1&b=2 HTTP/1.1" 200 1001 "https://shop.example/" "Mozilla/5.0 (compatible; \"Quoted\" Bot/1.0)"`,
    );
    assert.equal(r.timeMs, Date.UTC(2025, 10, 28, 0, 0, 5));
    assert.deepEqual([r.method, r.target, r.status, r.client], ['GET', '/product/x/?a=1&b=2', 200, '203.0.113.7']);
    assert.equal(r.userAgent, 'Mozilla/5.0 (compatible; "Quoted" Bot/1.0)');
  });

  it('nginx: \\x22 escapes, IPv6 clients, extra trailing fields, common format without agent', () => {
    const r = ok(
      String.raw`2001:db8::7 - - [28/Nov/2025:01:00:00 +0100] "GET / HTTP/2.0" 200 5 "-" "A \x22B\x22" 0.003 "-"`,
    );
    assert.deepEqual([r.client, r.userAgent, r.timeMs], ['2001:db8::7', 'A "B"', Date.UTC(2025, 10, 28, 0, 0, 0)]);
    assert.equal(ok('::1 - - [01/Jan/2026:00:00:00 +0000] "HEAD /cart/ HTTP/1.0" 304 -').method, 'HEAD');
  });

  it('ALB: the host, scheme and port of the logged URL are dropped; IPv6 client:port', () => {
    const line = String.raw`h2 2025-12-01T14:00:05.124456Z app/shop/50dc 2001:db8::10:50999 10.0.1.15:80 0.000 0.021 0.000 200 200 301 12001 "GET https://shop.example.com:443/product/k/?utm=1 HTTP/2.0" "Agent \"Q\" 2.0" ECDHE TLSv1.2 arn:x "Root=1" "shop.example.com" "arn:c" 0 2025-12-01T14:00:05.084456Z "forward" "-" "-" "10.0.1.15:80" "200" "-" "-" TID_1`;
    const r = ok(line);
    assert.deepEqual(
      [r.target, r.client, r.userAgent, r.status],
      ['/product/k/?utm=1', '2001:db8::10', 'Agent "Q" 2.0', 200],
    );
    assert.equal(r.timeMs, Date.parse('2025-12-01T14:00:05.124Z'));
    assert.equal(ok(line.replace('2001:db8::10:50999', '[2001:db8::10]:50999')).client, '2001:db8::10');
  });

  it('says why a line is not a request, never throws', () => {
    for (const line of [
      'garbage',
      '1.2.3.4 - - [28/Nov/2025:99:00:00 -0500] "GET / HTTP/1.1" 200 1',
      String.raw`1.2.3.4 - - [28/Nov/2025:10:00:00 -0500] "\x16\x03\x01" 400 0 "-" "-"`,
      'https 2025-12-01T14:0',
      'https 2025-12-01T14:00:30.000000Z app/a 1.2.3.4:5 - -1 -1 -1 400 - 0 272 "- https://s:443- -" "-" - -',
    ]) {
      const r = parseLogLine(line);
      assert.equal(r.ok, false, line);
      assert.ok(!r.ok && r.reason.length > 0);
    }
  });

  it('path and query only, whatever the request target', () => {
    assert.equal(pathAndQuery('/a?b#c'), '/a?b#c');
    assert.equal(pathAndQuery('http://evil.example'), '/');
    assert.equal(pathAndQuery('https://h:1/x#frag'), '/x');
    assert.equal(pathAndQuery('//evil.example/x'), undefined, 'a protocol-relative target would name a host');
    assert.equal(pathAndQuery('*'), undefined);
  });
});
