import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../test-support/temp-dir.ts';
import { batchSource, laneOf, testPhases } from './test-lanes.mjs';

test('a mark on a line of its own picks the lane; no mark, or a mark inside a line, is the replica lane', () => {
  assert.equal(laneOf('// test lane: beside (moto)\nimport x;'), 'beside');
  assert.equal(laneOf('// header\n// test lane: alone\n'), 'alone');
  assert.equal(laneOf('// header only\n'), 'replica');
  assert.equal(laneOf("const s = '// test lane: beside';"), 'replica');
  assert.equal(laneOf('// test lane: besides'), 'replica');
});

test('unit batches, replica and beside lanes side by side; then the alone lane by itself', () => {
  const text: Record<string, string> = {
    'a.integration.test.ts': '// test lane: beside\n',
    'b.integration.test.ts': '// a replica test\n',
    'c.integration.test.ts': '// test lane: alone\n',
    'd.integration.test.ts': '',
  };
  const rootUrl = 'file:///repo/';
  const phases = testPhases({
    unit: ['u1.test.ts', 'u2.test.ts', 'u3.test.ts'],
    integration: Object.keys(text),
    parallel: 2,
    read: (f: string) => text[f]!,
    rootUrl,
  });
  const batch = (files: string[]) => ({
    files,
    args: ['--test-reporter=tap', '--input-type=module', '-e', batchSource(files, rootUrl)],
  });
  assert.deepEqual(phases, [
    [
      batch(['u1.test.ts', 'u3.test.ts']),
      batch(['u2.test.ts']),
      {
        files: ['b.integration.test.ts', 'd.integration.test.ts'],
        args: ['--test', '--test-concurrency=2', 'b.integration.test.ts', 'd.integration.test.ts'],
      },
      { files: ['a.integration.test.ts'], args: ['--test', '--test-concurrency=2', 'a.integration.test.ts'] },
    ],
    [{ files: ['c.integration.test.ts'], args: ['--test', '--test-concurrency=1', 'c.integration.test.ts'] }],
  ]);
  assert.deepEqual(
    testPhases({ unit: ['u1.test.ts'], integration: [], parallel: 2, read: (f: string) => text[f]!, rootUrl }),
    [[batch(['u1.test.ts'])]],
    'one file makes one batch',
  );
  assert.match(
    batchSource(['x/u1.test.ts'], rootUrl),
    /describe\("x\/u1\.test\.ts", .*import\("file:\/\/\/repo\/x\/u1\.test\.ts"\)/,
  );
});

test('a unit batch: each file is a suite whose hooks wrap only its tests; a file that fails to load fails the run', () => {
  const dir = tempDir('rehearse-batch-');
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  const file = (name: string) => `
    import { after, before, test } from 'node:test';
    before(() => console.log('# ${name} before'));
    after(() => console.log('# ${name} after'));
    test('${name} one', () => console.log('# ${name} one'));
    test('${name} two', async () => { await new Promise((r) => setTimeout(r, 20)); console.log('# ${name} two'); });`;
  writeFileSync(join(dir, 'a.test.mjs'), file('a'));
  writeFileSync(join(dir, 'b.test.mjs'), file('b'));
  const rootUrl = pathToFileURL(`${dir}/`).href;
  // Under `node --test` this variable makes node:test report to the parent instead of printing.
  const env = { ...process.env, NODE_TEST_CONTEXT: undefined };
  const run = (files: string[]) =>
    spawnSync(
      process.execPath,
      testPhases({ unit: files, integration: [], parallel: 1, read: () => '', rootUrl })[0]![0]!.args,
      {
        cwd: dir,
        encoding: 'utf8',
        env,
      },
    );
  const ok = run(['a.test.mjs', 'b.test.mjs']);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const order = ok.stdout.split('\n').filter((l) => /^# [ab] /.test(l));
  assert.deepEqual(order, [
    '# a before',
    '# a one',
    '# a two',
    '# a after',
    '# b before',
    '# b one',
    '# b two',
    '# b after',
  ]);
  assert.match(ok.stdout, /^# pass 4$/m);
  assert.match(ok.stdout, /^ok 1 - a\.test\.mjs$/m);

  const broken = run(['a.test.mjs', 'missing.test.mjs', 'b.test.mjs']);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /^not ok 2 - missing\.test\.mjs$/m);
  assert.match(broken.stdout, /^ {4}not ok 1 - the file loads$/m);
  assert.match(broken.stdout, /Cannot find module .*missing\.test\.mjs/);
  assert.match(broken.stdout, /^# fail 1$/m, 'the summary counts it');
  assert.match(broken.stdout, /^ok 3 - b\.test\.mjs$/m, 'the files after it still run');
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
