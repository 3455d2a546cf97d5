import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_PLATEAU_S,
  MIN_JOURNEYS_PER_PLATEAU,
  nextStep,
  plateauSeconds,
  searchKnee,
  type SearchSettings,
} from './knee-search.ts';

const S: SearchSettings = {
  startRate: 1,
  stepFactor: 1.25,
  tolerance: 0.1,
  maxRate: 50,
  minRate: 0.1,
  maxPlateaus: 30,
};

/** A store that holds up to `knee` journeys/s. */
const store = (knee: number) => async (rate: number) => ({ rate, held: rate <= knee });

test('steps up by the factor, then bisects until the bracket is within the tolerance', async () => {
  for (const knee of [0.7, 3.3, 12, 37]) {
    const { result, plateaus } = await searchKnee(S, store(knee));
    assert.equal(result.outcome, 'found', `knee ${knee}`);
    assert.ok(result.knee! <= knee && result.knee! >= knee / 1.1, `knee ${knee}: found ${result.knee}`);
    assert.ok(result.brokeAt! / result.knee! <= 1.1 + 1e-9 && result.brokeAt! > knee);
    assert.ok(plateaus.length <= 25, `${plateaus.length} plateaus`);
  }
});

test('independent of absolute speed: the same store 10× slower takes the same steps, 10× lower', async () => {
  const fast = await searchKnee({ ...S, startRate: 2 }, store(9));
  const slow = await searchKnee({ ...S, startRate: 0.2 }, store(0.9));
  assert.deepEqual(
    slow.plateaus.map((p) => p.held),
    fast.plateaus.map((p) => p.held),
  );
  slow.plateaus.forEach((p, i) =>
    assert.ok(Math.abs(p.rate * 10 - fast.plateaus[i].rate) < 0.02, `${p.rate} vs ${fast.plateaus[i].rate}`),
  );
});

test('a first plateau that breaks steps down; a store that holds nothing gives no knee', async () => {
  assert.deepEqual(nextStep([{ rate: 4, held: false }], S), { kind: 'run', rate: 2.56, phase: 'down' });
  const { result } = await searchKnee({ ...S, startRate: 4 }, store(1.1));
  assert.equal(result.outcome, 'found');
  assert.ok(result.knee! <= 1.1 && result.knee! > 1);
  const none = await searchKnee(S, store(0.01));
  assert.deepEqual(none.result, { kind: 'done', knee: null, brokeAt: 0.1, outcome: 'none' });
});

test('holding at the safety cap is a lower bound, never a plan above the cap', async () => {
  const { result, plateaus } = await searchKnee({ ...S, maxRate: 5 }, store(100));
  assert.deepEqual(result, { kind: 'done', knee: 5, brokeAt: null, outcome: 'lower-bound' });
  assert.ok(plateaus.every((p) => p.rate <= 5));
});

test('a noisy break below a rate that held later does not trap the search', () => {
  const step = nextStep(
    [
      { rate: 1, held: true },
      { rate: 1.25, held: false },
      { rate: 1.118, held: true },
      { rate: 2, held: true },
      { rate: 2.5, held: false },
    ],
    S,
  );
  assert.deepEqual(step, { kind: 'run', rate: 2.236, phase: 'bisect' });
});

test('the plateau budget bounds the search', async () => {
  const { plateaus, result } = await searchKnee({ ...S, maxPlateaus: 4 }, store(40));
  assert.equal(plateaus.length, 4);
  assert.equal(result.outcome, 'lower-bound');
});

test('a low rate gets a longer plateau, so it plans enough journeys to judge; within the cap', () => {
  assert.equal(plateauSeconds(2, 30), 30, 'fast enough: the asked length');
  assert.equal(plateauSeconds(0.3, 30), Math.ceil(MIN_JOURNEYS_PER_PLATEAU / 0.3));
  assert.ok(0.3 * plateauSeconds(0.3, 30) >= MIN_JOURNEYS_PER_PLATEAU);
  assert.equal(plateauSeconds(0.01, 30), MAX_PLATEAU_S);
});
