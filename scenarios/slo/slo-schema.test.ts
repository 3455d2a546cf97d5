import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSlo } from './slo-schema.ts';

test('a minimal SLO file gets the documented defaults', () => {
  const slo = parseSlo(JSON.stringify({ version: 1, name: 'ci', errorRate: 0.01 }), 'ci.json');
  assert.equal(slo.checksPass, 0.99);
  assert.equal(slo.abortOnErrorRate, 0.5);
  assert.deepEqual(slo.journeys, {});
});

test('errors name the file and the field, and say what is expected', () => {
  assert.throws(
    () => parseSlo(JSON.stringify({ version: 1, name: 'x', errorRate: 5 }), 'slo.json'),
    /SLO file slo\.json: errorRate: /,
  );
  assert.throws(
    () =>
      parseSlo(
        JSON.stringify({ version: 1, name: 'x', errorRate: 0.01, journeys: { browse: { p95: 300 } } }),
        'slo.json',
      ),
    /journeys\.browse: unknown field "p95"/,
  );
  assert.throws(() => parseSlo('{"version": 1, "na', 'cut.json'), /SLO file cut\.json: \(top level\): not valid JSON/);
});
