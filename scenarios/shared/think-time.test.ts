import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lognormalSigma, standardNormal, THINK_CAP_P90_MULTIPLE, thinkFromNormal, thinkMeanS } from './think-time.ts';

/** Deterministic uniform source (mulberry32). */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('lognormal think time', () => {
  it('samples have the configured median and p90', () => {
    const t = { medianS: 3, p90S: 9 };
    const random = seeded(42);
    const xs = Array.from({ length: 20000 }, () => thinkFromNormal(t, standardNormal(random))).sort((a, b) => a - b);
    const q = (p: number) => xs[Math.floor(p * xs.length)]!;
    assert.ok(Math.abs(q(0.5) - 3) < 0.1, `median ${q(0.5)}`);
    assert.ok(Math.abs(q(0.9) - 9) < 0.4, `p90 ${q(0.9)}`);
    assert.ok(xs.at(-1)! <= 9 * THINK_CAP_P90_MULTIPLE);
  });
  it('mean is median × e^(σ²/2)', () => {
    const t = { medianS: 2, p90S: 4 };
    const s = lognormalSigma(t);
    assert.ok(Math.abs(s - Math.log(2) / 1.2815515655446004) < 1e-12);
    assert.equal(thinkMeanS(t), 2 * Math.exp((s * s) / 2));
  });
  it('no spread means a constant pause; a zero median means none', () => {
    assert.equal(thinkFromNormal({ medianS: 2, p90S: 2 }, 1.7), 2);
    assert.equal(thinkFromNormal({ medianS: 0, p90S: 0 }, 1.7), 0);
    assert.equal(thinkMeanS({ medianS: 0, p90S: 0 }), 0);
  });
});
