// One judge for every output: a partial run, dropped iterations over the limit and a generator out
// of VUs are each not PASS in report.html, summary.md, junit.xml and the gate, and each says why.
import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Slo } from '../../scenarios/slo/slo-schema.ts';
import { tempDir } from '../../test-support/temp-dir.ts';
import { aggregateRun } from '../aggregate/aggregate-run.ts';
import { FIXTURE_RUN } from '../fixtures/fixture-record.ts';
import { gateText } from '../gate/gate-text.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { analyseRunDir, writeReport } from './write-report.ts';

const slo: Slo = { version: 1, name: 'lenient', errorRate: 0.5, checksPass: 0.5, journeys: {}, abortOnErrorRate: 0.5 };
// What k6 v2 writes to its log when an arrival-rate scenario has no VU left.
const K6_WARNING =
  'time="2026-11-27T10:00:12Z" level=warning msg="Insufficient VUs, reached 40 active VUs and cannot initialize more" executor=ramping-arrival-rate scenario=browse\n';

async function outputs(prepare: (dir: string) => Promise<void>, edit: (r: RunRecord) => void) {
  const dir = join(tempDir('rehearse-honest-'), 'run');
  await cp(FIXTURE_RUN, dir, { recursive: true });
  await prepare(dir);
  const record = await aggregateRun(dir, { write: false });
  // Clean health, so only the fault under test can fail the run.
  Object.assign(record.totals, { droppedIterations: 0, droppedRate: 0 });
  record.run.interrupted = false;
  record.run.expectedTotal = record.totals.iterations;
  edit(record);
  await writeFile(join(dir, 'record.json'), JSON.stringify(record));
  const w = await writeReport(dir, { slo });
  const { analysis } = await analyseRunDir(dir, { slo });
  return {
    html: await readFile(w.html, 'utf8'),
    md: await readFile(w.markdown, 'utf8'),
    junit: await readFile(w.junit, 'utf8'),
    gate: gateText(record, analysis.gate),
    gatePass: analysis.gate.pass,
  };
}

const none = async () => {};

test('a clean run passes everywhere (the faults below are what fails)', async () => {
  const o = await outputs(none, () => {});
  assert.match(o.html, /<p class="status">PASS<\/p>/);
  assert.doesNotMatch(o.html, /cannot be trusted/);
  assert.match(o.md, /^### ✅ PASS/);
  assert.match(o.junit, /failures="0"/);
  assert.equal(o.gatePass, true, o.gate);
});

for (const c of [
  {
    name: 'a partial run (runner lost)',
    prepare: none,
    edit: (r: RunRecord) =>
      (r.run.partial = [
        { runner: 'runner-4', segment: '3/4:1', reason: 'no chunk for 30 s after 41 s; 60 % of its share ran' },
      ]),
    why: /Partial run: 1 of 4 segment\(s\) did not finish \(runner-4 3\/4:1/,
    id: 'completed',
  },
  {
    name: 'dropped iterations over the limit',
    prepare: none,
    edit: (r: RunRecord) => Object.assign(r.totals, { droppedIterations: 50, droppedRate: 0.05 }),
    why: /Dropped iterations 5\.00 % \(50: arrivals the load generator could not start\) is above 1 %/,
    id: 'droppedRate',
  },
  {
    name: 'a generator out of VUs (k6 warned in its log)',
    prepare: (dir: string) => writeFile(join(dir, 'raw', 'runner-2', 'k6.log'), K6_WARNING.repeat(2)),
    edit: () => {},
    why: /load generator was saturated: k6 warned of insufficient VUs 2 time\(s\) \(runner-2\)/,
    id: 'generator',
  },
]) {
  test(`${c.name}: FAIL in report.html, summary.md, junit.xml and the gate, saying why`, async () => {
    const o = await outputs(c.prepare, c.edit);
    assert.match(
      o.html,
      /<p class="status">FAIL<\/p>\n<p class="untrusted"><strong>Latency figures in this report cannot be trusted:<\/strong>/,
    );
    assert.match(o.html, c.why);
    assert.match(o.md, /^### ❌ FAIL: load test fixture-4runners\n\n\*\*Latency figures cannot be trusted:\*\*/);
    assert.match(o.md, c.why);
    assert.match(
      o.junit,
      new RegExp(`<testcase classname="rehearse\\.slo\\.lenient" name="${c.id}"><failure message="[^"]*`),
    );
    assert.match(o.junit, c.why);
    assert.equal(o.gatePass, false);
    assert.match(o.gate, /^FAIL {2}fixture-4runners/);
    assert.match(o.gate, c.why);
  });
}
