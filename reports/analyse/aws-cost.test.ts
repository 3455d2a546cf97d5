// An AWS run priced end to end by the analysis, to the cent, on a window worked out by hand:
// one clock hour, 3 × c7g.large, 360 000 requests, the stack's shape, usage and runner fleet from
// telemetry.json (us-east-1 prices of the book in the repo), 998 completed orders by id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Telemetry } from '../../infra/telemetry/telemetry-schema.ts';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { loadPriceBook } from '../price-book/load-price-book.ts';
import type { RunRecord } from '../record/record-schema.ts';
import { costSection } from '../render/html-analysis.ts';
import { renderSummaryMarkdown } from '../render/summary-markdown.ts';
import { analyseRun } from './analyse-run.ts';
import { estimateS3Requests } from './cost-inputs.ts';

const F = 1_796_000_400; // a clock hour's start: one LCU hour
const GiB = 1024 ** 3;
const minutes = Array.from({ length: 60 }, (_, k) => F + 60 * k);
const each = (v: number) => minutes.map((t) => ({ t, v }));

function awsTelemetry(): Telemetry {
  return {
    schema: 'rehearse.telemetry/v1',
    source: 'aws',
    window: { from: F, to: F + 3600 },
    capacity: { desired: each(3), pending: each(0), inService: each(3) },
    instances: [
      { id: 'i-0a', type: 'c7g.large', launchedAt: F - 600, inServiceAt: F - 300 },
      { id: 'i-0b', type: 'c7g.large', launchedAt: F - 600, inServiceAt: F - 300 },
      { id: 'i-0c', type: 'c7g.large', launchedAt: F - 600, inServiceAt: F - 300 },
    ],
    activities: [],
    cpu: { perInstance: { 'i-0a': each(40), 'i-0b': each(42), 'i-0c': each(41) }, db: each(30), cache: each(5) },
    connections: { db: each(20), cache: each(10) },
    // 6 000 requests, 600 new connections and 50 MiB processed a minute; 300 connections held.
    balancer: {
      requests: each(6000),
      newConnections: each(600),
      activeConnections: each(300),
      processedBytes: each(50 * 1024 ** 2),
      http5xx: each(0),
    },
    stack: {
      region: 'us-east-1',
      aurora: { instanceClass: 'db.r7g.large', instances: 2, storage: 'standard', storageGb: 73 },
      cache: { engine: 'redis', nodeType: 'cache.t4g.medium', nodes: 2 },
      efs: { storageGb: 7.3 },
      nat: { gateways: 1 },
      alb: { count: 1, rulesPerRequest: 1 },
    },
    usage: {
      dbIoRequests: 5_000_000,
      efsReadBytes: 2 * GiB,
      efsWriteBytes: 1 * GiB,
      natBytes: 5 * GiB,
      interAzBytes: 5 * GiB,
      interAzNote: 'bytes between AZs estimated (test)',
      notes: [],
    },
    runnerFleet: {
      instances: [
        { id: 'i-r1', type: 'c7g.xlarge', launchedAt: F - 400, terminatedAt: F + 3800, region: 'us-east-1' },
        { id: 'i-r2', type: 'c7g.xlarge', launchedAt: F - 400, terminatedAt: F + 3800, region: 'eu-west-1' },
      ],
    },
  };
}

async function awsRecord(): Promise<RunRecord> {
  const r = await fixtureRecord();
  r.run.startedAt = new Date(F * 1000).toISOString();
  r.run.endedAt = new Date((F + 3600) * 1000).toISOString();
  r.run.durationS = 3600;
  r.run.target = { kind: 'aws', baseUrl: 'https://shop.example.com' };
  r.run.runners = ['ip-10-0-1-5-1234', 'ip-10-1-1-7-4321'];
  r.input.files = Array.from({ length: 10 }, (_, i) => ({
    runner: r.run.runners[i % 2]!,
    file: `raw/x/samples.${i}.csv`,
    bytes: 1,
    lines: 1,
    samples: 1,
    corruptLines: 0,
  }));
  r.timeline = Array.from({ length: 3600 }, (_, i) => ({
    t: F + i,
    requests: 100,
    failed: 0,
    p50: 80,
    p95: 150,
    p99: 220,
    checksFailed: 0,
    droppedIterations: 0,
    vus: 20,
  }));
  r.totals.requests = 360_000;
  r.totals.bytes.received = 20 * GiB;
  r.orders = {
    accepted: Array.from({ length: 1000 }, (_, i) => i + 1),
    repeatedIds: 0,
    withoutId: 0,
    audit: {
      checkedAt: '2026-12-01T00:00:00.000Z',
      source: 'woocommerce-rest',
      where: 'https://shop.example.com/wp-json/wc/v3',
      window: { from: F, to: F + 3600 },
      looked: { accepted: 1000, inWindow: 998, products: 0 },
      missing: { count: 2, ids: [7, 9] },
      duplicates: { count: 0, carts: [] },
      oversold: { count: 0, products: [] },
      unseen: { count: 0, orders: [] },
      notChecked: [],
    },
  };
  return r;
}

const cents = (usd: number) => Math.round(usd * 100);
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} ≠ ${b}`);

test('an AWS run: cost per request, per million, per completed order and by component, to the cent, with the runner fleet apart', async () => {
  const book = await loadPriceBook(new URL('../price-book/prices.json', import.meta.url).pathname, {
    now: new Date('2026-12-01T00:00:00Z'),
  });
  const record = await awsRecord();
  const a = analyseRun({
    record,
    telemetry: awsTelemetry(),
    plan: null,
    slo: null,
    book,
    salePeak: { peakRps: 400, peakHours: 6, baseRps: 80, baseHours: 18 },
    now: new Date('2026-12-01T00:00:00Z'),
  });
  const c = a.cost!;
  assert.ok(c, `cost: ${a.notes.join('; ')}`);
  assert.equal(c.modelled, false);
  assert.equal(c.region, 'us-east-1');
  assert.equal(c.priceBookAsOf, book.asOf);
  const b = c.byComponent!;
  close(b.ec2, 3 * 0.0725, 'ec2'); // 3 instance-hours
  // ALB hour + LCUs: processed bytes win (3 000 MiB = 2.9296875 GB ÷ 1) over 10 new conn/s ÷ 25 = 0.4 and 300 ÷ 3 000 = 0.1.
  close(b.alb, 0.0225 + 2.9296875 * 0.008, 'alb');
  close(b.aurora, 2 * 0.276 + (73 * 0.1) / 730 + 5 * 0.2, 'aurora'); // instances, storage for an hour, 5 M I/O
  close(b.cache, 2 * 0.065, 'cache');
  close(b.efs, (7.3 * 0.3) / 730 + 2 * 0.03 + 1 * 0.06, 'efs');
  close(b.nat, 0.045 + 5 * 0.045, 'nat');
  close(b.interAz, 5 * 2 * 0.01, 'interAz'); // billed out of one AZ and into the other
  close(b.transferOut, 20 * 0.09, 'transferOut');
  assert.deepEqual(Object.fromEntries(Object.entries(b).map(([k, v]) => [k, cents(v)])), {
    ec2: 22,
    alb: 5,
    aurora: 156,
    cache: 13,
    efs: 12,
    nat: 27,
    interAz: 10,
    transferOut: 180,
  });
  const total = 0.2175 + 0.0459375 + 1.562 + 0.13 + 0.123 + 0.27 + 0.1 + 1.8;
  close(c.total, total, 'total');
  assert.equal(cents(c.total), 425);
  close(c.perRequest!, total / 360_000, 'per request');
  assert.equal(c.perMillionRequests!.toFixed(2), '11.80');
  assert.equal(c.completedOrders, 998, 'accepted orders less the 2 the store does not hold');
  assert.equal(c.perCompletedOrder!.toFixed(4), '0.0043');
  close(c.perCompletedOrder!, total / 998, 'per order');

  // The rehearsal: 2 runners × 4 200 s (boot, load, wind-down) of c7g.xlarge, and the run store's S3 requests.
  const s3 = estimateS3Requests(record);
  assert.deepEqual(s3, { tier1: 10 + 6 + 3 + 7200, tier2: 10 + 4 + 3600 });
  const r = c.rehearsal!;
  assert.deepEqual(r.runnerSecondsByType, { 'c7g.xlarge': 8400 });
  close(r.runners, (8400 / 3600) * 0.145, 'runners');
  close(r.s3, 7.219 * 0.005 + 3.614 * 0.0004, 's3');
  assert.equal(cents(r.total), 38);
  assert.ok(c.assumptions.some((x) => /estimated from the record/.test(x)));
  assert.ok(c.assumptions.includes('bytes between AZs estimated (test)'));

  // The sale-day recommendation works on AWS runs, on the deployed stack's shape.
  const rec = a.recommendation!;
  assert.ok(rec, `recommendation: ${a.notes.join('; ')}`);
  assert.equal(rec.modelled, false);
  assert.equal(rec.projection.instanceType, 'c7g.large');
  assert.equal(rec.projection.region, 'us-east-1');
  assert.ok(rec.projection.byComponent.aurora > 24 * 2 * 0.276, 'a day of the deployed writer and reader');
  assert.ok(rec.projection.byComponent.interAz > 0, "inter-AZ bytes scale with the day's requests");

  // What the reader sees: report.html's cost section and summary.md.
  const html = costSection(a);
  assert.match(html, /per million requests \$11\.80; per completed order \$0\.00426 \(998 orders\)/);
  assert.ok(html.includes(`us-east-1 price book of ${book.asOf}`));
  assert.match(
    html,
    /The rehearsal itself \(not the store\): \$0\.376 — runner fleet \$0\.338 \(8,400 s of c7g\.xlarge, boot to wind-down\)/,
  );
  assert.match(html, /<td>between AZs<\/td><td class="n">\$0\.100<\/td>/);
  const md = renderSummaryMarkdown(record, undefined, a);
  assert.match(
    md,
    /\*\*Cost:\*\* \$11\.80 per million requests; \$0\.0043 per completed order; \$4\.25 for the window, us-east-1 price book of \d{4}-\d{2}-\d{2}\./,
  );
  assert.match(md, /The rehearsal itself \(runner fleet, S3, CloudWatch\): \$0\.38\./);
});

test('an AWS telemetry without the stack (an older collector) says so instead of throwing', async () => {
  const book = await loadPriceBook(new URL('../price-book/prices.json', import.meta.url).pathname, {
    now: new Date('2026-12-01T00:00:00Z'),
  });
  const { stack: _stack, ...old } = awsTelemetry();
  const a = analyseRun({ record: await awsRecord(), telemetry: old, plan: null, slo: null, book, now: new Date() });
  assert.equal(a.cost, null);
  assert.ok(
    a.notes.some((n) => /telemetry\.json has no stack/.test(n)),
    a.notes.join('; '),
  );
});
