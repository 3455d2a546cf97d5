import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../errors/errors.ts';
import { tempDir } from '../../test-support/temp-dir.ts';
import {
  DEFAULT_CALIBRATION,
  describeShopCost,
  ENDPOINTS,
  loadCalibration,
  parseShopCost,
  resolveShopCost,
} from './shop-cost.ts';

const dir = tempDir('rehearse-shop-cost-');
const good = JSON.parse(fs.readFileSync(DEFAULT_CALIBRATION, 'utf8'));
const write = (name: string, value: unknown) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
};

test('the shipped calibration carries the measured table: source, date and every endpoint', () => {
  const c = loadCalibration();
  assert.equal(c.date, '2026-12-01');
  assert.match(c.source, /woocommerce-cost\.md/);
  assert.deepEqual(Object.keys(c.endpoints).sort(), [...ENDPOINTS].sort());
  assert.deepEqual([c.endpoints.product.php_cpu_ms, c.endpoints.product.queries], [142, 108]);
  assert.deepEqual(c.endpoints.checkout.split, { select: 606, insert: 55, update: 12, delete: 8 });
});

test('a missing endpoint is refused naming the file and the field', () => {
  const bad = structuredClone(good);
  delete bad.endpoints.cart_new;
  const f = write('missing.json', bad);
  assert.throws(
    () => loadCalibration(f),
    (e: Error) => e instanceof InputError && e.message.includes(f) && e.message.includes('endpoints.cart_new'),
  );
});

test('a negative CPU time, a fractional query count and an unknown field are refused', () => {
  for (const [name, mutate, field] of [
    [
      'neg',
      (b: typeof good) => {
        b.endpoints.home.php_cpu_ms = -1;
      },
      'endpoints.home.php_cpu_ms',
    ],
    [
      'frac',
      (b: typeof good) => {
        b.endpoints.product.queries = 10.5;
      },
      'endpoints.product.queries',
    ],
    [
      'extra',
      (b: typeof good) => {
        b.endpoints.home.php_ms = 3;
      },
      'endpoints.home',
    ],
    [
      'split',
      (b: typeof good) => {
        b.endpoints.checkout.split.select = 700;
      },
      'endpoints.checkout.split',
    ],
  ] as const) {
    const bad = structuredClone(good);
    mutate(bad);
    const f = write(`${name}.json`, bad);
    assert.throws(
      () => loadCalibration(f),
      (e: Error) => e instanceof InputError && e.message.includes(field),
      name,
    );
  }
});

test('a file that is not JSON is refused with the file named', () => {
  const f = write('broken.json', '{ "name": ');
  assert.throws(
    () => loadCalibration(f),
    (e: Error) => e instanceof InputError && e.message.startsWith(`calibration ${f}:`),
  );
});

test('--shop-cost: calibrated by default, light on request, anything else refused', () => {
  assert.equal(parseShopCost(undefined), 'calibrated');
  assert.equal(parseShopCost('light'), 'light');
  assert.throws(() => parseShopCost('cheap'), InputError);
  assert.equal(resolveShopCost('light'), null);
  assert.equal(resolveShopCost('calibrated')?.name, 'woocommerce-10.0.2');
  assert.match(describeShopCost(resolveShopCost('calibrated')), /calibrated to woocommerce-10\.0\.2 .*2026-12-01/);
  assert.match(describeShopCost(null), /light/);
});
