// Journeys start out of phase: six journeys of the smoke mix at a low rate must not start their
// iterations on the same instants (k6's schedule computed as k6 does: test-support/k6-arrivals.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadProfile } from '../profile/load-profile.ts';
import { profileCurve } from '../profile/curve.ts';
import { smallCatalogue } from '../test-support/fake-store.ts';
import { arrivalTimes, perSecond } from '../test-support/k6-arrivals.ts';
import { buildPlan } from './build-plan.ts';
import { PlanSchema } from './plan-schema.ts';
import { delayStaged, stageCurve } from './stages.ts';

const smoke = await loadProfile(new URL('../profiles/smoke.json', import.meta.url).pathname);
const flashSale = await loadProfile(new URL('../profiles/flash-sale.json', import.meta.url).pathname);
const plan = (loaded: typeof smoke, peakRate: number, durationS: number) =>
  buildPlan(loaded, {
    id: 'phase',
    baseUrl: 'http://127.0.0.1:8080',
    targetKind: 'local',
    peakRate,
    durationS,
    catalogue: smallCatalogue(),
    createdAt: '2026-12-01T00:00:00.000Z',
  });

describe('journeys start out of phase', () => {
  for (const peakRate of [0.6, 1, 2]) {
    it(`smoke mix at ${peakRate} journeys/s: no second above 3× the mean (k6's own schedule)`, () => {
      const durationS = 60;
      const p = plan(smoke, peakRate, durationS);
      PlanSchema.parse(p);
      const times = Object.values(p.k6.scenarios).flatMap(arrivalTimes);
      const bins = perSecond(times, durationS);
      const mean = times.length / durationS;
      assert.ok(Math.max(...bins) <= 3 * mean, `per second ${bins.join(',')} — mean ${mean.toFixed(2)}`);
    });
  }

  it('the same journeys started together do burst (what the phase shift removes)', () => {
    const p = plan(smoke, 1, 60);
    const together = Object.values(p.k6.scenarios).map(({ startTime: _, ...sc }) => ({
      ...sc,
      stages: stageCurve(profileCurve(smoke.profile), 60, 1 / 6).stages,
    }));
    const times = together.flatMap(arrivalTimes);
    const bins = perSecond(times, 60);
    assert.ok(Math.max(...bins) > 3 * (times.length / 60), `bursts: ${bins.join(',')}`);
  });

  it('every journey still ends with the run and keeps its arrivals within one', () => {
    const p = plan(flashSale, 3, 120);
    const starts = Object.values(p.k6.scenarios).map((sc) => sc.startTime ?? '0s');
    assert.equal(starts[0], '0s');
    assert.ok(
      starts.slice(1).every((s) => s !== '0s'),
      `the others start later: ${starts.join(', ')}`,
    );
    for (const [name, sc] of Object.entries(p.k6.scenarios)) {
      const ends = arrivalTimes(sc);
      assert.ok(ends.at(-1)! <= 120, `${name} ends by the run's end`);
      const weight = flashSale.profile.mix[name as keyof typeof flashSale.profile.mix]!;
      const whole = stageCurve(profileCurve(flashSale.profile), 120, 3 * weight).arrivals;
      assert.ok(
        p.expected.arrivals[name]! >= whole - 1.01 && p.expected.arrivals[name]! <= whole + 0.01,
        `${name}: ${p.expected.arrivals[name]} vs ${whole}`,
      );
    }
  });
});

describe('delayStaged', () => {
  it('starts later, cuts the delay off the end and re-counts the arrivals', () => {
    const flat = stageCurve(
      {
        spanS: 100,
        points: [
          { tS: 0, rate: 1 },
          { tS: 100, rate: 1 },
        ],
      },
      100,
      2,
    );
    const d = delayStaged(flat, 2500);
    assert.equal(d.startTime, '2.5s');
    assert.deepEqual(d.stages, [{ duration: '1m37.5s', target: flat.stages[0]!.target }]);
    assert.equal(Math.round(d.arrivals * 1000) / 1000, 195);
  });

  it('cuts across stages, ending part-way up a ramp at the rate there', () => {
    const ramp = stageCurve(
      {
        spanS: 20,
        points: [
          { tS: 0, rate: 0 },
          { tS: 10, rate: 1 },
          { tS: 20, rate: 0 },
        ],
      },
      20,
      10,
    );
    const d = delayStaged(ramp, 15_000);
    assert.equal(d.startTime, '15s');
    assert.equal(d.stages.length, 1);
    assert.equal(d.stages[0]!.duration, '5s');
    assert.equal(d.stages[0]!.target / ramp.stages[0]!.target, 0.5);
  });
});
