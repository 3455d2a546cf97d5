import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { laneOf, testPhases } from './test-lanes.mjs';

test('a mark on a line of its own picks the lane; no mark, or a mark inside a line, is the replica lane', () => {
  assert.equal(laneOf('// test lane: beside (moto)\nimport x;'), 'beside');
  assert.equal(laneOf('// header\n// test lane: alone\n'), 'alone');
  assert.equal(laneOf('// header only\n'), 'replica');
  assert.equal(laneOf("const s = '// test lane: beside';"), 'replica');
  assert.equal(laneOf('// test lane: besides'), 'replica');
});

test('unit, replica and beside lanes side by side; then the alone lane by itself', () => {
  const text: Record<string, string> = {
    'a.integration.test.ts': '// test lane: beside\n',
    'b.integration.test.ts': '// a replica test\n',
    'c.integration.test.ts': '// test lane: alone\n',
    'd.integration.test.ts': '',
  };
  const phases = testPhases({
    unit: ['u1.test.ts', 'u2.test.ts'],
    integration: Object.keys(text),
    parallel: 2,
    read: (f: string) => text[f],
  });
  assert.deepEqual(phases, [
    [
      ['--test', '--test-concurrency=2', 'u1.test.ts', 'u2.test.ts'],
      ['--test', '--test-concurrency=1', 'b.integration.test.ts', 'd.integration.test.ts'],
      ['--test', '--test-concurrency=1', 'a.integration.test.ts'],
    ],
    [['--test', '--test-concurrency=1', 'c.integration.test.ts']],
  ]);
  assert.deepEqual(
    testPhases({ unit: [], integration: ['c.integration.test.ts'], parallel: 2, read: (f: string) => text[f] }),
    [[['--test', '--test-concurrency=1', 'c.integration.test.ts']]],
  );
});

test('the marks in this tree: what measures CPU runs alone, and nothing marked beside starts a replica', () => {
  const root = join(import.meta.dirname, '..');
  const read = (f: string) => readFileSync(join(root, f), 'utf8');
  for (const f of [
    'pipeline/capacity/capacity.integration.test.ts',
    'infra/local/autoscaler/autoscaler.integration.test.ts',
    'infra/local/shop-cost.integration.test.ts',
  ])
    assert.equal(laneOf(read(f)), 'alone', f);
  const integration = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.integration.test.ts') && !/(^|\/)(node_modules|\.git|\.state|\.tools)\//.test(f),
  );
  const beside = integration.filter((f) => laneOf(read(f)) === 'beside');
  assert.ok(beside.length >= 5, `${beside.length} files run beside the replica lane`);
  for (const f of beside)
    assert.doesNotMatch(
      read(f),
      /infra\/local\/replica|pipeline\/rehearsal|'rehearsal'/,
      `${f} runs beside the replica lane but starts a replica`,
    );
});
