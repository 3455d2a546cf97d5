import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { tempDir } from '../../test-support/temp-dir.ts';
import { parseRecord } from '../record/record-schema.ts';
import { aggregateRun } from './aggregate-run.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/run-4runners/', import.meta.url));

async function copyFixture(name = 'run-copy'): Promise<string> {
  const dir = join(tempDir('rehearse-run-'), name);
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

test('aggregates a 4-runner run into a valid record.json, written atomically', async () => {
  const dir = await copyFixture();
  const now = new Date('2026-11-27T00:00:00.000Z');
  const record = await aggregateRun(dir, { now });

  const onDisk = parseRecord(JSON.parse(await readFile(join(dir, 'record.json'), 'utf8')));
  assert.deepEqual(onDisk, record);
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.endsWith('.tmp')),
    [],
    'no temp file left behind',
  );

  assert.equal(record.generatedAt, now.toISOString());
  assert.equal(record.run.id, 'fixture-4runners');
  assert.equal(record.run.profile, 'fixture-steady');
  assert.deepEqual(record.run.target, { kind: 'local', baseUrl: 'http://127.0.0.1' });
  assert.equal(record.run.plannedPeakRate, 90);
  assert.equal(record.run.expectedTotal, 270);
  assert.deepEqual(record.run.runners, ['runner-1', 'runner-2', 'runner-3', 'runner-4']);
  assert.equal(record.run.interrupted, false);

  // k6's own counts agree with the aggregation.
  assert.equal(record.k6Summary.length, 4);
  assert.equal(
    record.k6Summary.reduce((s, r) => s + (r.requests ?? 0), 0),
    record.totals.requests,
  );
  assert.equal(
    record.k6Summary.reduce((s, r) => s + (r.iterations ?? 0), 0),
    record.totals.iterations,
  );
  assert.equal(
    record.k6Summary.reduce((s, r) => s + (r.failed ?? 0), 0),
    record.totals.failed,
  );

  // Journeys add up to the totals, and the timeline to the requests.
  assert.deepEqual(
    record.journeys.map((j) => j.name),
    ['browse', 'checkout'],
  );
  assert.equal(
    record.journeys.reduce((s, j) => s + j.requests, 0),
    record.totals.requests,
  );
  assert.equal(
    record.timeline.reduce((s, p) => s + p.requests, 0),
    record.totals.requests,
  );
  const browse = record.journeys[0];
  assert.deepEqual(
    browse.endpoints.map((e) => e.name),
    ['home', 'product "a,b"'],
  );
  assert.equal(record.journeys[1].errorsByStatus['404'], record.journeys[1].requests);
  assert.equal(record.input.corruptLines, 0);
  assert.equal(record.input.files.length, 4);
});

test('without plan.json the id comes from the directory and plan fields are null; a missing summary is a note', async () => {
  const dir = await copyFixture('20261127-black-friday');
  await rm(join(dir, 'plan.json'));
  await rm(join(dir, 'raw', 'runner-3', 'summary.json'));
  const record = await aggregateRun(dir, { write: false, interrupted: true });
  assert.equal(record.run.id, '20261127-black-friday');
  assert.deepEqual(
    [record.run.profile, record.run.target.baseUrl, record.run.plannedPeakRate, record.run.k6Version],
    [null, null, null, null],
  );
  assert.equal(record.run.interrupted, true);
  assert.equal(record.k6Summary.length, 3);
  assert.ok(record.input.notes.some((n) => n.includes('raw/runner-3/summary.json: missing')));
  await assert.rejects(readFile(join(dir, 'record.json')), 'write: false writes nothing');
});

test('corrupt lines are reported with file and line, and do not stop the run', async () => {
  const dir = await copyFixture();
  const file = join(dir, 'raw', 'runner-1', 'samples.csv');
  const lines = (await readFile(file, 'utf8')).split('\n').length - 1;
  await appendFile(file, 'http_reqs,1795603000,1.0\nhttp_req_duration,17956');
  const clean = await aggregateRun(await copyFixture(), { write: false });
  const record = await aggregateRun(dir, { write: false });
  assert.equal(record.totals.requests, clean.totals.requests);
  assert.equal(record.input.corruptLines, 2);
  assert.deepEqual(
    record.input.corruptExamples.map((e) => [e.file, e.line]),
    [
      ['raw/runner-1/samples.csv', lines + 1],
      ['raw/runner-1/samples.csv', lines + 2],
    ],
  );
  assert.match(record.input.corruptExamples[1].reason, /truncated last line/);
});

test('a directory without raw samples fails with a message naming the expected layout', async () => {
  const dir = tempDir('rehearse-empty-');
  await assert.rejects(aggregateRun(dir), /raw: not found; a run directory needs raw\/<runner>\/samples\.csv/);
  await mkdir(join(dir, 'raw', 'r1'), { recursive: true });
  await assert.rejects(aggregateRun(dir), /no runner sample files; expected raw\/<runner>\/samples\.csv/);
});

test('a runner may upload its samples in several numbered files; a plain file wins over its .gz twin', async () => {
  const dir = await copyFixture();
  const clean = await aggregateRun(await copyFixture(), { write: false });
  const raw = join(dir, 'raw', 'runner-1');
  const [header, ...rest] = (await readFile(join(raw, 'samples.csv'), 'utf8')).split('\n');
  const half = Math.floor(rest.length / 2);
  await rm(join(raw, 'samples.csv'));
  await writeFile(join(raw, 'samples.1.csv'), [header, ...rest.slice(0, half)].join('\n') + '\n');
  await writeFile(join(raw, 'samples.2.csv'), [header, ...rest.slice(half)].join('\n'));
  await writeFile(join(raw, 'samples.2.csv.gz'), gzipSync(await readFile(join(raw, 'samples.2.csv'))));
  const record = await aggregateRun(dir, { write: false });
  assert.equal(record.totals.requests, clean.totals.requests);
  assert.deepEqual(record.totals.latency, clean.totals.latency);
  assert.deepEqual(record.timeline, clean.timeline);
  assert.deepEqual(
    record.input.files.filter((f) => f.runner === 'runner-1').map((f) => f.file),
    ['raw/runner-1/samples.1.csv', 'raw/runner-1/samples.2.csv'],
  );
  assert.ok(
    record.input.notes.includes(
      'raw/runner-1/samples.2.csv.gz: ignored, raw/runner-1/samples.2.csv holds the same samples',
    ),
  );
});

test('accepted order ids travel in the samples (tag or metadata, quoted or not) into record.orders, each once', async () => {
  const dir = await copyFixture('orders');
  const line = (t: number, extra: string, meta = '') =>
    `rehearse_orders,${t},1.000000,,,,,,,,,checkout,,,,,,${extra},${meta}\n`;
  await appendFile(
    join(dir, 'raw', 'runner-1', 'samples.csv'),
    line(1795604012, 'order_id=42') +
      line(1795604012, '', 'order_id=7') +
      line(1795604013, 'order_id=42') +
      line(1795604013, 'journey=x&order_id=1001'),
  );
  await appendFile(
    join(dir, 'raw', 'runner-3', 'samples.csv'),
    `rehearse_orders,1795604012,1.000000,,,,,,,,,"checkout",,,,,,order_id=9,\n` +
      line(1795604014, '') +
      line(1795604014, 'xorder_id=5'),
  );
  const plain = await aggregateRun(await copyFixture('no-orders'), { write: false });
  const record = await aggregateRun(dir, { write: false });
  assert.equal(plain.orders, undefined, 'a run without orders has no orders field');
  assert.deepEqual(record.orders, { accepted: [7, 9, 42, 1001], repeatedIds: 1, withoutId: 2 });
  assert.equal(record.totals.requests, plain.totals.requests, 'order samples are not requests');
  assert.equal(record.input.corruptLines, 0);
  parseRecord(record);
});
