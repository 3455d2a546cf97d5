import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segmentsFor } from './segments.ts';
import { CLAIM_KEY, KEYS, parseChunkKey, RUNNER_NAME } from './run-manifest.ts';

test('segments tile [0,1] in k6 notation and share the plan evenly', () => {
  assert.deepEqual(segmentsFor(1), { sequence: '0,1', segments: ['0:1'], shares: [1] });
  const four = segmentsFor(4);
  assert.equal(four.sequence, '0,1/4,2/4,3/4,1');
  assert.deepEqual(four.segments, ['0:1/4', '1/4:2/4', '2/4:3/4', '3/4:1']);
  assert.equal(
    four.shares.reduce((a, b) => a + b, 0),
    1,
  );
  assert.throws(() => segmentsFor(0), /runners must be a whole number/);
});

test('chunk keys round-trip and sort in upload order', () => {
  const sha = 'a'.repeat(64);
  const k = KEYS.chunk('local-2', 12, sha);
  assert.deepEqual(parseChunkKey(k), { runner: 'local-2', n: 12, sha256: sha });
  assert.ok(KEYS.chunk('r', 9, sha) < KEYS.chunk('r', 10, sha));
  assert.equal(parseChunkKey('runners/r/done.json'), null);
});

test("a fleet runner's name is its IAM identity, <role id>:<instance id>: one key segment", () => {
  const runner = 'AROAEXAMPLEROLEID01:i-0aaaaaaaaaaaaaaaa';
  assert.ok(RUNNER_NAME.test(runner));
  const sha = 'b'.repeat(64);
  assert.deepEqual(parseChunkKey(KEYS.chunk(runner, 1, sha)), { runner, n: 1, sha256: sha });
  for (const bad of ['a/b', ':lead', '', 'x'.repeat(64)]) assert.ok(!RUNNER_NAME.test(bad), bad);
  assert.equal(parseChunkKey(`runners/other/chunks/runners/${runner}/chunks/000001-${sha}.csv`), null);
});

test('only claims/<n>.json is a claim (a runner may create other keys under claims/)', () => {
  assert.ok(CLAIM_KEY.test(KEYS.claim(0)) && CLAIM_KEY.test(KEYS.claim(12)));
  for (const k of ['claims/runners/x/0.json', 'claims/0.json.bak', 'claims/a.json', 'x/claims/0.json'])
    assert.ok(!CLAIM_KEY.test(k), k);
});
