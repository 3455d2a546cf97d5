import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { renderSummaryMarkdown } from './summary-markdown.ts';
import { PLAIN_HTTP_NOTICE } from './transport-notice.ts';

test('short enough for a CI job summary, with verdict, headline numbers and journeys', async () => {
  const record = await fixtureRecord();
  const md = renderSummaryMarkdown(record);
  assert.ok(md.split('\n').length < 40 && md.length < 4000, `${md.split('\n').length} lines, ${md.length} chars`);
  assert.match(md, /^### ❌ FAIL: load test fixture-4runners\n\n- Error rate /);
  assert.match(md, new RegExp(`\\| ${record.totals.requests} \\| `));
  assert.match(md, /\| checkout \| \d+ \| \d+ \(100\.00 %\) \|/);
});

test('names cannot break the tables or inject HTML; long journey lists are cut', async () => {
  const record = await fixtureRecord();
  const template = record.journeys[0];
  record.journeys = Array.from({ length: 14 }, (_, i) => ({
    ...template,
    name: `j${i} | <b>x</b>`,
    requests: 100 - i,
  }));
  const md = renderSummaryMarkdown(record);
  assert.ok(md.includes('| j0 \\| &lt;b&gt;x&lt;/b&gt; |'));
  assert.ok(!md.includes('<b>'));
  assert.equal((md.match(/^\| j\d+ /gm) ?? []).length, 10);
  assert.match(md, /…and 4 more journeys in report\.html\./);
});

test('input problems are called out', async () => {
  const record = await fixtureRecord();
  record.input.corruptLines = 3;
  record.k6Summary[0].requests! += 1;
  const md = renderSummaryMarkdown(record);
  assert.match(
    md,
    /\*\*Input:\*\* 3 corrupt sample line\(s\) skipped; k6 summary counted \d+ requests, the record \d+\./,
  );
});

test('a rehearsal over plain HTTP says so in its first lines; HTTPS and the loopback replica do not', async () => {
  const notice = `**${PLAIN_HTTP_NOTICE}**`;
  for (const target of [
    { kind: 'aws', baseUrl: 'http://rehearse-bf-123456.eu-west-1.elb.amazonaws.com' },
    { kind: 'url', baseUrl: 'http://shop.example.com' },
  ]) {
    const record = await fixtureRecord();
    record.run.target = target;
    const lines = renderSummaryMarkdown(record).split('\n');
    assert.ok(lines.indexOf(notice) > 0 && lines.indexOf(notice) <= 3, `${target.kind}: line ${lines.indexOf(notice)}`);
  }
  for (const target of [
    { kind: 'aws', baseUrl: 'https://shop.example.com' },
    { kind: 'local', baseUrl: 'http://127.0.0.1:18080' },
  ]) {
    const record = await fixtureRecord();
    record.run.target = target;
    assert.doesNotMatch(renderSummaryMarkdown(record), /plain HTTP/, target.baseUrl);
  }
});
