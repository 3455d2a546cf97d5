import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { isCheckoutAttempt, reconcileCheckout } from './breakdown.ts';

test('only API checkout calls are attempts: a replayed GET of the checkout page is a page view', () => {
  assert.equal(isCheckoutAttempt({ name: 'api:checkout', kind: 'api' }), true);
  assert.equal(isCheckoutAttempt({ name: 'api:checkout' }), true, 'older records: the name says api');
  assert.equal(isCheckoutAttempt({ name: '/?wc-ajax=checkout' }), true);
  assert.equal(isCheckoutAttempt({ name: 'checkout' }), false, 'a replay endpoint named for its URL class');
  assert.equal(isCheckoutAttempt({ name: '/checkout/', kind: 'page' }), false);
  assert.equal(isCheckoutAttempt({ name: 'api:cart', kind: 'api' }), false);
});

test('a replay run with checkout page views and no order API reconciles zero attempts, not missing orders', async () => {
  const record = await fixtureRecord();
  const j = record.journeys[0];
  j.name = 'replay';
  j.endpoints = [{ ...j.endpoints[0], name: 'checkout', kind: 'page', requests: 40, failed: 0 }];
  record.journeys = [j];
  const r = reconcileCheckout(record, { orders: { persisted: 0, countedAt: 0 } } as never)!;
  assert.equal(r.attempts, 0);
  assert.equal(r.missing, 0);
});
