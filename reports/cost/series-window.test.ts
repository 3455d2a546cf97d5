import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buckets, counterIn, gaugeIntegral, seriesSpans } from './series-window.ts';

test('a counter point covers one step from its timestamp; a cut interval takes its fraction', () => {
  const spans = seriesSpans(
    [
      { t: 60, v: 600 },
      { t: 0, v: 60 },
      { t: 120, v: 6 },
    ],
    'counter',
    1,
  );
  assert.deepEqual(
    spans.map((s) => [s.from, s.to]),
    [
      [0, 60],
      [60, 120],
      [120, 180],
    ],
  );
  assert.equal(counterIn(spans, 0, 180), 666);
  assert.equal(counterIn(spans, 30, 90), 30 + 300);
  assert.equal(counterIn(spans, 180, 240), 0);
});

test('a gap where CloudWatch left out empty periods stays empty', () => {
  // Points at 0 and 600 with a 60 s step elsewhere: the first still covers only 60 s.
  const spans = seriesSpans(
    [
      { t: 0, v: 10 },
      { t: 60, v: 10 },
      { t: 600, v: 10 },
    ],
    'gauge',
    60,
  );
  assert.deepEqual(
    spans.map((s) => [s.from, s.to]),
    [
      [0, 60],
      [60, 120],
      [600, 660],
    ],
  );
  assert.equal(gaugeIntegral(spans, 0, 700), 10 * 180);
});

test('points at one time merge: counters add, gauges keep the highest', () => {
  assert.equal(
    counterIn(
      seriesSpans(
        [
          { t: 0, v: 2 },
          { t: 0, v: 3 },
        ],
        'counter',
        1,
      ),
      0,
      1,
    ),
    5,
  );
  assert.equal(
    gaugeIntegral(
      seriesSpans(
        [
          { t: 0, v: 2 },
          { t: 0, v: 3 },
        ],
        'gauge',
        1,
      ),
      0,
      1,
    ),
    3,
  );
  assert.deepEqual(seriesSpans([{ t: 5, v: 1 }], 'counter', 60), [{ from: 5, to: 65, v: 1 }]);
});

test('clock buckets are aligned and clipped to the window', () => {
  assert.deepEqual(buckets(90, 200, 60), [
    { start: 60, from: 90, to: 120 },
    { start: 120, from: 120, to: 180 },
    { start: 180, from: 180, to: 200 },
  ]);
});
