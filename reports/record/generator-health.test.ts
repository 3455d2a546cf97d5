import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { countInsufficientVUs, generatorLogLine, parseGeneratorFile, readRunnerGenerator } from './generator-health.ts';

const WARN =
  'time="2026-11-27T10:00:12Z" level=warning msg="Insufficient VUs, reached 40 active VUs and cannot initialize more" executor=ramping-arrival-rate scenario=browse';

test("insufficient-VU warnings are counted from k6's log", () => {
  assert.equal(countInsufficientVUs(`${WARN}\nlevel=info msg="ok"\n${WARN}\n`), 2);
  assert.equal(countInsufficientVUs('level=info msg="done"\n'), 0);
});

test('generator.json is checked for shape', () => {
  assert.deepEqual(parseGeneratorFile({ cpu: { peak: 0.9, mean: 0.4, samples: 60 } }), {
    cpu: { peak: 0.9, mean: 0.4, samples: 60 },
  });
  assert.deepEqual(parseGeneratorFile({ cpu: null }), { cpu: null });
  assert.equal(parseGeneratorFile({ cpu: { peak: -1, mean: 0, samples: 1 } }), null);
  assert.equal(parseGeneratorFile('x'), null);
});

test("a runner's CPU comes from generator.json (local) or the line an agent appends to k6.log", async () => {
  const dir = tempDir('rehearse-gen-');
  await mkdir(join(dir, 'raw', 'local-0'), { recursive: true });
  await mkdir(join(dir, 'raw', 'runner-1'), { recursive: true });
  await mkdir(join(dir, 'raw', 'runner-2'), { recursive: true });
  await writeFile(
    join(dir, 'raw', 'local-0', 'generator.json'),
    JSON.stringify({ cpu: { peak: 0.5, mean: 0.25, samples: 30 } }),
  );
  await writeFile(
    join(dir, 'raw', 'runner-1', 'k6.log'),
    `${WARN}\n${generatorLogLine({ cpu: { peak: 0.97, mean: 0.8, samples: 30 } })}\n`,
  );
  await writeFile(join(dir, 'raw', 'runner-2', 'generator.json'), '{"cpu": "hot"}');
  const notes: string[] = [];
  assert.deepEqual(await readRunnerGenerator(dir, 'local-0', notes), {
    runner: 'local-0',
    insufficientVUs: 0,
    cpuPeak: 0.5,
    cpuMean: 0.25,
  });
  assert.deepEqual(await readRunnerGenerator(dir, 'runner-1', notes), {
    runner: 'runner-1',
    insufficientVUs: 1,
    cpuPeak: 0.97,
    cpuMean: 0.8,
  });
  assert.deepEqual(await readRunnerGenerator(dir, 'runner-2', notes), {
    runner: 'runner-2',
    insufficientVUs: 0,
    cpuPeak: null,
    cpuMean: null,
  });
  assert.deepEqual(notes, [
    "raw/runner-2/generator.json: not readable; the generator's CPU is unknown for this runner",
  ]);
});
