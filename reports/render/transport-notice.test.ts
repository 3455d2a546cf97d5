import assert from 'node:assert/strict';
import { test } from 'node:test';
import { transportOf } from './transport-notice.ts';

test('plain HTTP is called out for any host but loopback; the local replica is loopback whatever its URL says', () => {
  const cases: Array<[string | null, string | null, string]> = [
    ['aws', 'http://rehearse-bf-123456.eu-west-1.elb.amazonaws.com', 'plain-http'],
    ['url', 'http://shop.example.com:8080/', 'plain-http'],
    ['url', 'http://10.0.0.5', 'plain-http'],
    ['aws', 'https://shop.example.com', 'https'],
    ['url', 'HTTPS://shop.example.com', 'https'],
    ['local', 'http://127.0.0.1:18080', 'loopback'],
    ['local', 'http://replica.test', 'loopback'],
    ['url', 'http://localhost:8080', 'loopback'],
    ['url', 'http://127.0.0.2', 'loopback'],
    ['url', 'http://[::1]:8080', 'loopback'],
    [null, null, 'unknown'],
    ['url', 'not a url', 'unknown'],
    ['url', 'ftp://shop.example.com', 'unknown'],
  ];
  for (const [kind, baseUrl, expected] of cases)
    assert.equal(transportOf({ kind, baseUrl }), expected, `${kind} ${baseUrl}`);
});
