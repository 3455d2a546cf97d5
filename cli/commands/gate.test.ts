// The gate as CI uses it: exit 0 for a run that meets the limits, 1 for one that breaks them.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixtureRecord } from '../../reports/fixtures/fixture-record.ts';
import { runCli } from '../testing/run-cli.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-gate-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runDirWith(name: string, edit: (r: Awaited<ReturnType<typeof fixtureRecord>>) => void) {
  const run = join(dir, name);
  await mkdir(run, { recursive: true });
  const record = await fixtureRecord();
  edit(record);
  await writeFile(join(run, 'record.json'), JSON.stringify(record));
  return run;
}

const gate = (args: string[]) => runCli(['gate', ...args]);

test('a run within the limits passes with exit 0 and says why', async () => {
  const run = await runDirWith('good', (r) => {
    r.totals.failed = 0;
    r.totals.errorRate = 0;
    r.totals.droppedIterations = 0;
    r.totals.droppedRate = 0;
    r.totals.checks.failed = 0;
    r.run.interrupted = false;
  });
  const res = await gate([run]);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /^PASS /);
  const strict = await gate([run, '--max-p95', '0.001']);
  assert.equal(strict.status, 1, "a p95 limit below every journey's p95 fails the gate");
  assert.match(strict.stdout, /^FAIL [\s\S]*p95 .* is above 0\.001 ms/);
});

test('a run over the error limit fails with exit 1 and the numbers', async () => {
  const run = await runDirWith('bad', (r) => {
    r.totals.failed = Math.ceil(r.totals.requests * 0.05);
    r.totals.errorRate = r.totals.failed / r.totals.requests;
    r.totals.droppedIterations = 0;
    r.totals.droppedRate = 0;
    r.totals.checks.failed = 0;
    r.run.interrupted = false;
  });
  const res = await gate([run]);
  assert.equal(res.status, 1);
  assert.match(res.stdout, /^FAIL [\s\S]*Error rate 5\.\d\d %/);
  assert.equal((await gate([run, '--max-error-rate', '10'])).status, 0, '--max-error-rate 10 (%) lets it through');
});

test('a corrupt record is an input error (exit 2) naming the file', async () => {
  const run = join(dir, 'corrupt');
  await mkdir(run, { recursive: true });
  await writeFile(join(run, 'record.json'), '{"schema": "rehearse.record/v1", "run": ');
  const res = await gate([run]);
  assert.equal(res.status, 2);
  assert.match(res.stderr, /record\.json: not valid JSON/);
});

const cleanRun = (r: Awaited<ReturnType<typeof fixtureRecord>>) => {
  r.totals.failed = 0;
  r.totals.errorRate = 0;
  r.totals.droppedIterations = 0;
  r.totals.droppedRate = 0;
  r.totals.checks.failed = 0;
  r.run.interrupted = false;
};

test('--slo: a run that meets the SLO passes, one that breaks it fails with measured vs limit, and junit.xml has a case per objective', async () => {
  const run = await runDirWith('slo', cleanRun);
  const record = await fixtureRecord();
  const j = record.journeys[0];
  const sloFile = join(dir, 'slo.json');
  const slo = (p95Ms: number) =>
    JSON.stringify({ version: 1, name: 'gate-test', errorRate: 0.01, journeys: { [j.name]: { p95Ms } } });
  await writeFile(sloFile, slo(j.latency.p95! * 2));
  const ok = await gate([run, '--slo', sloFile]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^PASS .*SLO gate-test\)/);
  await writeFile(sloFile, slo(j.latency.p95! / 2));
  const bad = await gate([run, '--slo', sloFile]);
  assert.equal(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stdout, new RegExp(`FAILED Journey ${j.name}: p95 \\d+ ms is above \\d+(\\.\\d+)? ms\\.`));
  const junit = await readFile(join(run, 'junit.xml'), 'utf8');
  // completed, droppedRate, achievedRate, generator (the run's health), errorRate, checksPass, the journey's p95
  assert.equal((junit.match(/<testcase /g) ?? []).length, 7);
  assert.equal((junit.match(/<failure /g) ?? []).length, 1);
  await writeFile(sloFile, '{"version": 1}');
  assert.equal((await gate([run, '--slo', sloFile])).status, 2, 'a broken SLO file is an input error');
});

test('--baseline: a regression beyond --tolerance fails the gate', async () => {
  const baseline = await runDirWith('baseline', cleanRun);
  const same = await runDirWith('same', cleanRun);
  assert.equal((await gate([same, '--baseline', baseline])).status, 0);
  const slower = await runDirWith('slower', (r) => {
    cleanRun(r);
    r.totals.latency.p95 = r.totals.latency.p95! * 2 + 10;
  });
  const res = await gate([slower, '--baseline', baseline, '--tolerance', '10%']);
  assert.equal(res.status, 1, res.stdout);
  assert.match(res.stdout, /REGRESSION p95: .* in baseline fixture-4runners \(\+\d+\.\d %, tolerance 10 %\)/);
  assert.equal(
    (await gate([slower, '--baseline', baseline, '--tolerance', '1000%'])).status,
    0,
    'a wide tolerance lets it through',
  );
});
