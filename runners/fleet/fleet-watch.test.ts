import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeRunners, runDeadline, type WatchState } from './fleet-watch.ts';

const plan = {
  run: { durationS: 60 },
  k6: { scenarios: { browse: { gracefulStop: '30s' }, cart: { gracefulStop: '1m' } } },
} as unknown as Parameters<typeof runDeadline>[0];
const startAt = Date.parse('2026-11-25T10:00:00Z');
const deadline = runDeadline(plan, startAt, 120_000);
const state = (over: Partial<WatchState>): WatchState => ({
  now: startAt + 10_000,
  startAt,
  claimed: ['a', 'b'],
  ended: new Set(),
  deadline,
  stopGraceMs: 30_000,
  claimSlackMs: 5000,
  ...over,
});

test("the deadline: start + the plan + k6's longest graceful stop + the grace", () => {
  assert.equal(deadline.at, startAt + (60 + 60 + 120) * 1000);
  assert.equal(deadline.text, 'start + 60 s of load + 60 s k6 graceful stop + 120 s grace');
});

test('before the start nothing is over, even with every claimed runner done: segments may still be claimed', () => {
  assert.deepEqual(judgeRunners(state({ now: startAt - 1000, ended: new Set(['a', 'b']) })), {
    lost: [],
    finished: false,
  });
  assert.deepEqual(judgeRunners(state({ now: startAt + 6000, ended: new Set(['a', 'b']) })), {
    lost: [],
    finished: true,
  });
  assert.deepEqual(
    judgeRunners(state({ now: startAt + 6000, claimed: [] })),
    { lost: [], finished: true },
    'nobody claimed: nothing to wait for',
  );
});

test('a runner with no done.json by the deadline is lost, with when and why', () => {
  assert.deepEqual(judgeRunners(state({ now: deadline.at - 1, ended: new Set(['a']) })), { lost: [], finished: false });
  const v = judgeRunners(state({ now: deadline.at, ended: new Set(['a']) }));
  assert.equal(v.finished, true);
  assert.deepEqual(
    v.lost.map((l) => l.runner),
    ['b'],
  );
  assert.equal(
    v.lost[0]!.reason,
    'sent no done.json by 2026-11-25T10:04:00.000Z (start + 60 s of load + 60 s k6 graceful stop + 120 s grace): its machine was lost (spot reclaim, failure) or its agent hung',
  );
});

test('after a stop (Ctrl-C): done when every runner reported, or when the stop grace is over', () => {
  const stoppedAt = startAt + 20_000;
  assert.deepEqual(judgeRunners(state({ now: stoppedAt + 1000, stoppedAt, ended: new Set(['a']) })), {
    lost: [],
    finished: false,
  });
  assert.deepEqual(judgeRunners(state({ now: stoppedAt + 1000, stoppedAt, ended: new Set(['a', 'b']) })), {
    lost: [],
    finished: true,
  });
  const v = judgeRunners(state({ now: stoppedAt + 30_000, stoppedAt, ended: new Set(['a']) }));
  assert.equal(v.finished, true);
  assert.match(
    v.lost[0]!.reason,
    /^sent no done\.json within 30 s of the stop \(Ctrl-C\): the fleet was scaled to 0 before it could report$/,
  );
  assert.deepEqual(
    judgeRunners(state({ now: startAt - 60_000, stoppedAt: startAt - 61_000, claimed: [] })),
    { lost: [], finished: true },
    'stopped while booting, nobody claimed',
  );
});
