import assert from 'node:assert/strict';
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { aggregateRun } from '../aggregate/aggregate-run.ts';
import { fixturePlan } from '../fixtures/fixture-analysis.ts';
import { FIXTURE_RUN, fixtureRecord } from '../fixtures/fixture-record.ts';
import { fixtureTelemetry } from '../fixtures/fixture-telemetry.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { renderHtmlReport } from './html-report.ts';
import { writeReport } from './write-report.ts';
import { PLAIN_HTTP_NOTICE } from './transport-notice.ts';

const EVIL = '<script>alert(1)</script>';

function poison(record: RunRecord): RunRecord {
  record.journeys[0].name = EVIL;
  record.journeys[0].endpoints[0].name = '"><img src=x onerror=alert(2)>';
  record.journeys[0].checks.byName[0].name = 'a & b <i>';
  record.journeys[0].errorsByStatus = { '<b>500</b>': 3 };
  record.run.profile = '</title><script>alert(3)</script>';
  record.input.corruptExamples = [
    { file: 'raw/<x>.csv', line: 7, reason: '<u>bad</u>', text: 'http_reqs,<svg onload=alert(4)>' },
  ];
  record.input.notes = ['note <iframe src=//evil.example>'];
  return record;
}

test('the report puts the verdict first, then headline numbers, charts and tables', async () => {
  const record = await fixtureRecord();
  const html = await renderHtmlReport(record);
  const verdictAt = html.indexOf('class="verdict fail"');
  assert.ok(verdictAt > 0 && verdictAt < html.indexOf('class="headline"'));
  assert.match(html, /<p class="status">FAIL<\/p>/); // the fixture has a 404 endpoint
  assert.match(html, /<title>FAIL · fixture-4runners · Rehearse load test<\/title>/);
  // throughput, latency, errors, and p95 per journey (the fixture has several journeys); no analysis, so nothing more
  assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 4);
  for (const heading of ['Over time', 'Journeys', 'Endpoints', 'Checks', 'Input quality', 'Run settings'])
    assert.ok(html.includes(`<h2>${heading}</h2>`), heading);
  assert.ok(html.includes(`k6's own summary agrees: ${record.totals.requests} requests.`));
});

test('nothing is loaded from anywhere: only data: images, no scripts, links or CSS urls, and a CSP that forbids the rest', async () => {
  const html = await renderHtmlReport(await fixtureRecord());
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:;/);
  const refs = [...html.matchAll(/\b(?:src|href|srcset|action|poster|data)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
  assert.ok(refs.length >= 3);
  for (const ref of refs) assert.match(ref, /^data:image\/png;base64,/);
  assert.doesNotMatch(html, /<script|<link|<iframe|@import|url\(/i);
});

test('every string from the data is escaped', async () => {
  const html = await renderHtmlReport(poison(await fixtureRecord()));
  for (const raw of [EVIL, '<img src=x', '<i>', '<b>500', '</title><script>', '<svg', '<iframe', '<u>bad', '<x>.csv'])
    assert.ok(!html.includes(raw), raw);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('a &amp; b &lt;i&gt;'));
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
});

test('a clean run shows PASS', async () => {
  const record = await fixtureRecord();
  Object.assign(record.totals, {
    failed: 0,
    errorRate: 0,
    droppedIterations: 0,
    droppedRate: 0,
    checks: { passed: record.totals.checks.passed, failed: 0 },
  });
  const html = await renderHtmlReport(record);
  assert.match(html, /<header class="verdict pass" id="verdict">\n<p class="status">PASS<\/p>/);
});

test('writeReport turns record.json into report.html and summary.md', async () => {
  const dir = join(tempDir('rehearse-report-'), 'run');
  await cp(FIXTURE_RUN, dir, { recursive: true });
  await assert.rejects(writeReport(dir), /record\.json: not found; run the aggregate stage first/);
  await aggregateRun(dir);
  const written = await writeReport(dir);
  assert.deepEqual(
    { ...written, analysis: undefined },
    {
      html: join(dir, 'report.html'),
      markdown: join(dir, 'summary.md'),
      analysisFile: join(dir, 'analysis.json'),
      junit: join(dir, 'junit.xml'),
      analysis: undefined,
    },
  );
  assert.equal(JSON.parse(await readFile(written.analysisFile, 'utf8')).schema, 'rehearse.analysis/v1');
  assert.ok((await stat(written.html)).size > 10_000);
  assert.match(await readFile(written.markdown, 'utf8'), /^### ❌ FAIL: load test fixture-4runners/);
});

test('writeReport with telemetry.json, an SLO and a baseline: analysis.json, junit.xml and the new sections', async () => {
  const dir = join(tempDir('rehearse-report-'), 'run');
  await cp(FIXTURE_RUN, dir, { recursive: true });
  const record = await aggregateRun(dir);
  await writeFile(join(dir, 'telemetry.json'), JSON.stringify(fixtureTelemetry(record, { ordersPersisted: 2 })));
  await writeFile(
    join(dir, 'plan.json'),
    JSON.stringify({
      ...(fixturePlan(record) as object),
      slo: { name: 'plan-slo', content: { version: 1, name: 'plan-slo', errorRate: 0.5 } },
    }),
  );
  const written = await writeReport(dir, { baselineDir: dir, now: new Date('2026-11-27T00:00:00Z') });
  assert.equal(written.analysis.slo.name, 'plan-slo', "the plan's SLO is used when none is given");
  assert.ok(written.junit, 'an SLO writes junit.xml');
  assert.match(
    await readFile(written.junit!, 'utf8'),
    /<testcase classname="rehearse\.slo\.plan-slo" name="errorRate">/,
  );
  assert.ok(written.analysis.scaling && written.analysis.scaling.activities.length === 1);
  assert.equal(written.analysis.cost?.modelled, true);
  assert.deepEqual(written.analysis.comparison?.regressions, [], 'a run compared with itself does not regress');
  const html = await readFile(written.html, 'utf8');
  for (const id of ['slo', 'baseline', 'capacity', 'cost', 'checkout']) assert.ok(html.includes(`id="${id}"`), id);
  assert.ok(
    html.includes('Instances and scaling activities') &&
      html.includes('CPU per tier') &&
      html.includes('Arrival rate: achieved vs plan'),
  );

  await writeFile(join(dir, 'telemetry.json'), '{"schema": "rehearse.telemetry/v1"}');
  const degraded = await writeReport(dir);
  assert.match(
    degraded.analysis.notes[0],
    /telemetry\.json set aside: .*telemetry\.json: not a valid rehearse\.telemetry\/v1 file/,
  );
  assert.equal(degraded.analysis.scaling, null);
});

test('a rehearsal over plain HTTP says so under the verdict and in the run settings; HTTPS and loopback do not', async () => {
  const settings = (html: string) => html.slice(html.indexOf('<h2>Run settings</h2>'));
  for (const target of [
    { kind: 'aws', baseUrl: 'http://rehearse-bf-123456.eu-west-1.elb.amazonaws.com' },
    { kind: 'url', baseUrl: 'http://shop.example.com' },
  ]) {
    const record = await fixtureRecord();
    record.run.target = target;
    const html = await renderHtmlReport(record);
    const notice = html.indexOf(`<p class="notice">${PLAIN_HTTP_NOTICE}</p>`);
    assert.ok(notice > html.indexOf('<h1>') && notice < html.indexOf('class="headline"'), target.kind);
    assert.ok(settings(html).includes(`<dt>Transport</dt><dd>${PLAIN_HTTP_NOTICE}</dd>`), target.kind);
  }
  const https = await fixtureRecord();
  https.run.target = { kind: 'aws', baseUrl: 'https://shop.example.com' };
  const httpsHtml = await renderHtmlReport(https);
  assert.doesNotMatch(httpsHtml, /plain HTTP|class="notice"/);
  assert.ok(settings(httpsHtml).includes('<dt>Transport</dt><dd>HTTPS</dd>'));
  const local = await renderHtmlReport(await fixtureRecord()); // the fixture ran on the loopback replica
  assert.doesNotMatch(local, /class="notice"|TLS termination/);
  assert.ok(settings(local).includes('<dt>Transport</dt><dd>plain HTTP (loopback)</dd>'));
});
