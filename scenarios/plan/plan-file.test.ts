import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseProfile } from '../profile/load-profile.ts';
import { smallCatalogue } from '../test-support/fake-store.ts';
import { buildPlan } from './build-plan.ts';
import { PlanError } from './plan-error.ts';
import { readPlan, writePlan } from './plan-file.ts';

const loaded = parseProfile(
  JSON.stringify({
    version: 1,
    name: 'x',
    description: '',
    span: '1h',
    shape: [
      { at: '0', rate: 1 },
      { at: '1h', rate: 1 },
    ],
    mix: { browse: 1 },
    thinkTime: { medianS: 1, p90S: 2 },
  }),
  'x.json',
);
const plan = buildPlan(loaded, {
  id: 'file-test',
  baseUrl: 'http://127.0.0.1:8080',
  targetKind: 'local',
  peakRate: 5,
  durationS: 60,
  catalogue: smallCatalogue(),
  createdAt: '2026-11-27T00:00:00.000Z',
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-plan-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rejects = async (p: Promise<unknown>, pattern: RegExp) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  assert.ok(e instanceof PlanError, `expected a PlanError, got ${String(e)}`);
  assert.match(e.message, pattern);
};

describe('writePlan / readPlan', () => {
  it('round-trips, creating the directory and leaving no temp file behind', async () => {
    const path = join(dir, 'runs', 'a', 'plan.json');
    await writePlan(path, plan);
    assert.deepEqual(await readPlan(path), plan);
    assert.deepEqual(await readdir(join(dir, 'runs', 'a')), ['plan.json']);
  });

  it('replaces an existing plan whole', async () => {
    const path = join(dir, 'replace.json');
    await writePlan(path, plan);
    await writePlan(path, { ...plan, id: 'second' });
    assert.equal((await readPlan(path)).id, 'second');
  });

  it('refuses to write an invalid plan', async () => {
    const path = join(dir, 'invalid.json');
    await rejects(
      writePlan(path, { ...plan, id: 'no spaces allowed' }),
      /plan for .*invalid\.json \(not written\): id: id must be letters/,
    );
    await assert.rejects(readFile(path));
  });

  it('names the file and field of a damaged plan', async () => {
    const path = join(dir, 'damaged.json');
    const edited = JSON.parse(JSON.stringify(plan));
    edited.k6.scenarios.browse.stages[0].target = -3;
    await writeFile(path, JSON.stringify(edited));
    await rejects(readPlan(path), /^plan .*damaged\.json: k6\.scenarios\.browse\.stages\[0\]\.target: /);
    await writeFile(path, JSON.stringify(plan).slice(0, 100));
    await rejects(readPlan(path), /damaged\.json: \(top level\): not valid JSON .*build the plan again/);
    await rejects(readPlan(join(dir, 'missing.json')), /missing\.json: \(top level\): no such file/);
  });

  it('re-checks safety on read: a hand-edited target or rate is refused', async () => {
    const path = join(dir, 'edited.json');
    await writeFile(path, JSON.stringify({ ...plan, target: { ...plan.target, baseUrl: 'https://victim.example' } }));
    await rejects(readPlan(path), /target\.baseUrl: host "victim\.example" is not on the allowlist/);
    await writeFile(path, JSON.stringify({ ...plan, run: { ...plan.run, peakRate: 500 } }));
    await rejects(readPlan(path), /run\.peakRate: peakRate 500\/s is above the rate cap/);
  });

  it('re-checks the request cap on read, on what the stages schedule (assets included)', async () => {
    const path = join(dir, 'busier.json');
    // 5 browse starts/s × 51 requests (the default assets) = 255 requests/s: within 500.
    assert.equal(plan.run.peakRps, 255);
    const tripled = JSON.parse(JSON.stringify(plan));
    const browse = tripled.k6.scenarios.browse;
    browse.startRate *= 3;
    for (const st of browse.stages) st.target *= 3;
    await writeFile(path, JSON.stringify(tripled));
    await rejects(
      readPlan(path),
      /run\.maxRps: the load its k6 stages schedule \(40 assets on a visit's first page, 4 on later ones\) makes 765 requests\/s at the peak \(assets included\), above the request cap maxRps 500\/s — .*raise the cap with --max-rps/,
    );
    // The same stages with a raised cap are what the user asked for.
    tripled.run.maxRps = 800;
    await writeFile(path, JSON.stringify(tripled));
    assert.equal((await readPlan(path)).run.maxRps, 800);
  });

  it('refuses a plan of the previous version by name (it counted no assets and had no request cap)', async () => {
    const path = join(dir, 'v1.json');
    await writeFile(path, JSON.stringify({ ...plan, schema: 'rehearse.plan/v1' }));
    await rejects(readPlan(path), /schema: schema must be "rehearse\.plan\/v2" — rebuild the plan/);
  });
});
