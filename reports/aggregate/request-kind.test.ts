// Latency that means pages: a journey's latency covers its pages and API calls, its assets are
// reported apart, from the k6 `kind` tag or (older runs) the endpoint names the journeys use.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { buildRecord } from '../record/build-record.ts';
import { planMeta } from '../record/run-inputs.ts';
import { K6_HEADER, requestLines, type SyntheticRequest } from '../fixtures/synthetic-k6-csv.ts';
import { aggregateSamples } from './aggregate-samples.ts';
import { kindInExtraTags } from './k6-columns.ts';
import { requestKind } from './request-kind.ts';

const T0 = 1795600000;

test('the kind tag wins; without it the endpoint name decides', () => {
  assert.equal(requestKind('asset', 'home'), 'asset');
  assert.equal(requestKind('', 'asset:css'), 'asset');
  assert.equal(requestKind('', 'api:add-item'), 'api');
  assert.equal(requestKind('', 'http://127.0.0.1/wp-content/themes/x/style.css?ver=1'), 'asset');
  assert.equal(requestKind('', 'http://127.0.0.1/?wc-ajax=get_refreshed_fragments'), 'api');
  assert.equal(requestKind('', 'product'), 'page');
  assert.equal(kindInExtraTags('journey=browse&kind=api&run_id=x'), 'api');
  assert.equal(kindInExtraTags('run_id=x'), '');
});

async function record(requests: SyntheticRequest[]) {
  const dir = tempDir('rehearse-kind-');
  const file = join(dir, 'samples.csv');
  await writeFile(file, [K6_HEADER, ...requests.flatMap(requestLines)].join('\n') + '\n');
  const aggregate = await aggregateSamples([{ runner: 'r', files: [file] }], { relativeTo: dir });
  return buildRecord({
    aggregate,
    runId: 'kinds',
    runners: ['r'],
    plan: planMeta({}),
    k6Summary: [],
    generatedAt: new Date(),
  });
}

// Each second of browse: one slow page (800 ms) and nine fast assets (5 ms).
function browse(tagged: boolean): SyntheticRequest[] {
  const out: SyntheticRequest[] = [];
  for (let s = 0; s < 20; s++) {
    out.push({
      t: T0 + s,
      scenario: 'browse',
      name: 'product',
      status: 200,
      ms: 800,
      failed: false,
      extraTags: tagged ? 'kind=page' : '',
    });
    for (let i = 0; i < 9; i++) {
      out.push({
        t: T0 + s,
        scenario: 'browse',
        name: tagged ? `static-${i % 3}` : `asset:${['css', 'js', 'img'][i % 3]}`,
        status: 200,
        ms: 5,
        failed: false,
        extraTags: tagged ? 'kind=asset' : '',
      });
    }
  }
  return out;
}

for (const tagged of [true, false]) {
  test(`a slow page is not hidden by fast assets (${tagged ? 'kind tag' : 'no tag: names'})`, async () => {
    const r = await record(browse(tagged));
    const j = r.journeys.find((x) => x.name === 'browse')!;
    assert.equal(j.requests, 200, 'every request is counted');
    assert.ok(
      j.latency.p95! >= 790 && j.latency.count === 20,
      `journey p95 ${j.latency.p95} over ${j.latency.count} page requests`,
    );
    assert.equal(j.assets?.requests, 180);
    assert.ok(j.assets!.latency.p95! < 10);
    assert.ok(
      j.timeline.every((p) => p.p95 === null || p.p95 >= 790),
      "per-second p95 is the page's",
    );
    assert.equal(j.endpoints.find((e) => e.name === 'product')!.kind, 'page');
    assert.ok(
      r.totals.latency.count === 200 && r.totals.latency.p50! < 10,
      'the whole-run figure still counts every request, as k6 does',
    );
  });
}
