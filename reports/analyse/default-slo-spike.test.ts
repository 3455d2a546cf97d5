// The default SLO has latency limits: a per-second p95 of 797 ms right after an instance entered
// service is a breach, where the old default (errors and checks only) read "not breached".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SLO } from '../../scenarios/slo/default-slo.ts';
import { fixturePlan } from '../fixtures/fixture-analysis.ts';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { fixtureTelemetry } from '../fixtures/fixture-telemetry.ts';
import { analyseRun } from './analyse-run.ts';
import { sloSeconds } from './slo-seconds.ts';

async function spiky() {
  const record = await fixtureRecord();
  record.run.interrupted = false;
  const browse = record.journeys.find((j) => j.name === 'browse')!;
  for (const p of browse.timeline) p.p95 = p.requests > 0 ? 120 : null;
  const busy = browse.timeline.filter((p) => p.requests > 0);
  for (const p of busy.slice(1, 3)) p.p95 = 797;
  return { record, spikeAt: busy[1].t };
}

test('the default SLO flags a 797 ms per-second p95 on browse pages; errors-and-checks-only did not', async () => {
  const { record, spikeAt } = await spiky();
  const before = { ...DEFAULT_SLO, journeys: {} };
  // The fixture's own errors breach every second under either SLO: judge latency alone.
  const latencyOnly = (s: typeof DEFAULT_SLO) => ({ ...s, errorRate: 1 });
  assert.equal(
    sloSeconds(record, latencyOnly(before)).filter((s) => s.breached).length,
    0,
    'the old default saw nothing',
  );
  const now = sloSeconds(record, latencyOnly(DEFAULT_SLO)).filter((s) => s.breached);
  assert.equal(now[0]?.t, spikeAt);
  assert.equal(now.length, 2, 'the two seconds of the spike');

  const telemetry = fixtureTelemetry(record, { ordersPersisted: 0 });
  const a = analyseRun({ record, telemetry, plan: fixturePlan(record), slo: null, book: null, now: new Date() });
  assert.equal(a.slo.name, 'default');
  assert.ok(a.scaling && a.scaling.breaches.length >= 1, 'the scaling story has a breach');
  assert.equal(a.capacity.lowerBound, false, 'a breached run is not reported as "the SLO never broke"');
});
