import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunRecord } from '../../reports/record/record-schema.ts';
import { DEFAULT_SLO } from '../../scenarios/slo/default-slo.ts';
import type { ProgressSnapshot } from '../../runners/local/live-progress.ts';
import { clearBreach, queueBuilding } from './run-plateau.ts';

const T0 = 1795600000;

/** browse p95 per second over a 12 s plateau. */
function plateau(p95s: number[]): Pick<RunRecord, 'timeline' | 'journeys'> {
  const points = p95s.map((p95, i) => ({ t: T0 + i, requests: 10, failed: 0, p50: p95 / 2, p95, p99: p95 }));
  return {
    timeline: points.map((p) => ({ ...p, checksFailed: 0, droppedIterations: 0, vus: 5 })),
    journeys: [{ name: 'browse', timeline: points } as RunRecord['journeys'][number]],
  };
}

test('a queue still growing at the end of a plateau is not held, even when its p95 over the plateau is fine', () => {
  assert.equal(
    queueBuilding(plateau([100, 110, 120, 130, 150, 180, 220, 300, 380, 460, 550, 640]), DEFAULT_SLO, T0, 12)?.match(
      /^Latency still rising: 2 of the last/,
    )?.length,
    1,
  );
  assert.equal(queueBuilding(plateau(Array(12).fill(200)), DEFAULT_SLO, T0, 12), null);
  // p50 climbing from 60 to 220 ms (p95 = 2 × p50 here, all under 500 ms): still rising.
  assert.match(
    queueBuilding(plateau([120, 120, 130, 140, 160, 200, 240, 280, 330, 380, 420, 440]), DEFAULT_SLO, T0, 12) ?? '',
    /^Latency still rising: median 70 ms in the first third, 210 ms in the last/,
  );
  assert.equal(
    queueBuilding(plateau([60, 60, 65, 70, 80, 90, 100, 110, 120, 130, 140, 150]), DEFAULT_SLO, T0, 12),
    null,
    'doubling far below the limits is not a queue',
  );
  assert.equal(
    queueBuilding(plateau([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 900]), DEFAULT_SLO, T0, 12),
    null,
    'one slow second is noise',
  );
});

test('a clear breach stops a plateau early: far past every limit, or many errors, not in the first seconds', () => {
  const snap = (o: Partial<ProgressSnapshot>): ProgressSnapshot => ({
    elapsedS: 8,
    requests: 200,
    failed: 0,
    rate: 25,
    p95Ms: 300,
    ...o,
  });
  assert.equal(clearBreach(snap({}), DEFAULT_SLO), null);
  assert.match(
    clearBreach(snap({ p95Ms: 9500 }), DEFAULT_SLO)!,
    /p95 9500 ms is over 3 × the loosest latency limit \(3000 ms\)/,
  );
  assert.match(clearBreach(snap({ failed: 60 }), DEFAULT_SLO)!, /30 % of requests failed/);
  assert.equal(clearBreach(snap({ elapsedS: 2, p95Ms: 9500 }), DEFAULT_SLO), null, 'the first seconds of a cold start');
});
