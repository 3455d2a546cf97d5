import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Curve } from '../profile/curve.ts';
import { PlanError } from './plan-error.ts';
import { formatK6Duration, stageCurve } from './stages.ts';

const day: Curve = {
  spanS: 86400,
  points: [
    { tS: 0, rate: 0.05 },
    { tS: 300, rate: 1 },
    { tS: 43200, rate: 0.5 },
    { tS: 86400, rate: 0.2 },
  ],
};

const exactArrivals = (c: Curve, durationS: number, peak: number) => {
  let s = 0;
  for (let i = 1; i < c.points.length; i++) {
    const [a, b] = [c.points[i - 1]!, c.points[i]!];
    s += ((a.rate + b.rate) / 2) * (b.tS - a.tS);
  }
  return (s * peak * durationS) / c.spanS;
};

describe('stageCurve', () => {
  it('one stage per segment, compressed durations summing to the run length', () => {
    const s = stageCurve(day, 1800, 20);
    assert.equal(s.stages.length, 3);
    assert.deepEqual(
      s.stages.map((x) => x.duration),
      ['6.25s', '14m53.75s', '15m'],
    );
    assert.equal(s.timeUnit, '1m');
    assert.equal(s.startRate, 60); // 0.05 × 20/s × 60 s
    assert.deepEqual(
      s.stages.map((x) => x.target),
      [1200, 600, 240],
    );
  });

  it('arrivals are the integral of the staged (rounded) curve, close to the exact one', () => {
    const s = stageCurve(day, 1800, 20);
    let staged = 0;
    let prev = s.startRate;
    const ms = [6250, 893750, 900000];
    s.stages.forEach((st, i) => {
      staged += (((prev + st.target) / 2) * (ms[i]! / 1000)) / 60;
      prev = st.target;
    });
    assert.ok(Math.abs(s.arrivals - staged) < 1e-9);
    assert.ok(Math.abs(s.arrivals / exactArrivals(day, 1800, 20) - 1) < 0.001);
  });

  it('picks a coarser timeUnit when per-unit targets would round badly', () => {
    // 0.3/s at the peak, 0.015/s at the start: per minute that is 18 and ~1 — too coarse.
    const s = stageCurve(day, 600, 0.3);
    assert.equal(s.timeUnit, '1h');
    assert.ok(Math.abs(s.arrivals / exactArrivals(day, 600, 0.3) - 1) < 0.001);
  });

  it('keeps 1s for high rates', () => {
    const flat: Curve = {
      spanS: 60,
      points: [
        { tS: 0, rate: 1 },
        { tS: 60, rate: 1 },
      ],
    };
    const s = stageCurve(flat, 60, 200);
    assert.equal(s.timeUnit, '1s');
    assert.equal(s.arrivals, 12000);
  });

  it('refuses a run too short to resolve the shape', () => {
    const tight: Curve = {
      spanS: 86400,
      points: [
        { tS: 0, rate: 1 },
        { tS: 1, rate: 1 },
        { tS: 86400, rate: 1 },
      ],
    };
    assert.throws(
      () => stageCurve(tight, 30, 1),
      (e: unknown) => e instanceof PlanError && /durationS: durationS 30s is too short/.test(e.message),
    );
  });
});

describe('formatK6Duration', () => {
  it('writes Go-style durations k6 accepts', () => {
    assert.equal(formatK6Duration(0), '0s');
    assert.equal(formatK6Duration(6250), '6.25s');
    assert.equal(formatK6Duration(60_000), '1m');
    assert.equal(formatK6Duration(5_400_000), '1h30m');
    assert.equal(formatK6Duration(3_661_001), '1h1m1.001s');
  });
});
