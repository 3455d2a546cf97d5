import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replayStages } from './replay-stages.ts';

describe('replay stages', () => {
  it('a step per 1 s bucket: each bucket starts its own requests, equal buckets merge', () => {
    // 3 in second 0, 3 in second 1, none in 2, 1 in 3.
    const s = replayStages([0, 0.2, 0.9, 1, 1.5, 1.99, 3.4], 4, 4);
    assert.equal(s.timeUnit, '1s');
    assert.equal(s.startRate, 3);
    assert.deepEqual(
      s.stages.map((x) => [x.duration, x.target]),
      [
        ['2s', 3],
        ['0.001s', 0],
        ['0.999s', 0],
        ['0.001s', 1],
        [s.stages.at(-1)!.duration, 1],
      ],
    );
    assert.equal(s.stages.at(-1)!.duration, '1.499s', 'the last bucket holds half an arrival spare');
    assert.ok(Math.abs(s.arrivals - 7.5) < 0.01, String(s.arrivals));
    assert.equal(s.peakPerS, 3);
  });

  it('scales the replay to the run and widens buckets for long runs (≤ 1000 stages of buckets)', () => {
    const offsets = Array.from({ length: 3600 }, (_, i) => i); // one a second for an hour
    const squeezed = replayStages(offsets, 3600, 360);
    assert.equal(squeezed.peakPerS, 10);
    assert.ok(Math.abs(squeezed.arrivals - 3600.5) < 0.1);
    const long = replayStages(offsets, 3600, 3600 * 2);
    assert.equal(long.bucketS, 8);
    assert.equal(long.timeUnit, '8s');
    assert.ok(Math.abs(long.arrivals - 3600.5) < 0.1, String(long.arrivals));
  });
});
