import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CsvProgress, formatProgress } from './live-progress.ts';

const header =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata\n';
const row = (metric: string, ts: number, value: number) =>
  `${metric},${ts},${value},,,,true,,GET,home,HTTP/1.1,browse,,200,,,home,,\n`;

test('counts requests and failures from appended bytes only, across a line split between polls', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'progress-'));
  const file = join(dir, 'samples.csv');
  try {
    const p = new CsvProgress(file);
    assert.equal((await p.poll()).requests, 0, 'no file yet is not an error');
    const now = Math.floor(Date.now() / 1000);
    let text = header;
    for (let i = 1; i <= 20; i++) {
      text +=
        row('http_reqs', now, 1) +
        row('http_req_duration', now, i * 10) +
        row('http_req_failed', now, i === 20 ? 1 : 0);
    }
    const cut = text.length - 7; // the last line arrives in two pieces
    await appendFile(file, text.slice(0, cut));
    const first = await p.poll();
    assert.equal(first.requests, 20);
    assert.equal(first.failed, 0, 'the half-written failure line is not counted yet');
    await appendFile(file, text.slice(cut));
    const second = await p.poll();
    assert.equal(second.requests, 20, 'bytes already read are not counted twice');
    assert.equal(second.failed, 1);
    assert.equal(second.p95Ms, 190);
    assert.match(formatProgress(second, 120), /req\/s {2}p95 190ms {2}errors 1 \(5\.0%\) {2}requests 20/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('chunks from several runners: arrivals per second and the fleet line', async () => {
  const { SampleTally, formatFleetProgress } = await import('./live-progress.ts');
  const t = new SampleTally();
  const now = Math.floor(Date.now() / 1000);
  for (let r = 0; r < 2; r++) {
    let text = header;
    for (let i = 0; i < 5; i++)
      text += row('iterations', now, 1) + row('http_reqs', now, 1) + row('http_req_duration', now, 20);
    text += row('dropped_iterations', now, 2);
    t.feed(text);
  }
  const s = t.snapshot(Date.now() - 10_000);
  assert.deepEqual([s.requests, s.iterations, s.dropped], [10, 10, 4]);
  assert.equal(s.arrivalRate, 1.4, '14 journey starts over a 10 s window');
  assert.equal(
    formatFleetProgress(s, { plannedS: 60, plannedArrivalRate: 1.5, alive: 1, runners: 2 }),
    '10s/60s  arrivals 1.4/s (planned 1.5/s)  p95 20ms  errors 0 (0.0%)  requests 10  runners 1/2 alive',
  );
});
