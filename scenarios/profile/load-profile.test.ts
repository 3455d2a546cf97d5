import assert from 'node:assert/strict';
import { JOURNEY_NAMES } from '../shared/journeys.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProfile, parseProfile } from './load-profile.ts';
import { ProfileError } from './profile-schema.ts';

const BUILT_IN = new URL('../profiles/', import.meta.url);
const good = () => ({
  version: 1,
  name: 'test',
  description: 'a test day',
  span: '24h',
  shape: [
    { at: '00:00', rate: 0.1 },
    { at: '06:00', rate: 0.5 },
    { at: '12:00', rate: 1 },
    { at: '24:00', rate: 0.2 },
  ],
  mix: { browse: 1 },
  thinkTime: { medianS: 2, p90S: 6 },
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-profile-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `text` to a file and returns the ProfileError loadProfile throws for it. */
async function errorFor(name: string, text: string): Promise<ProfileError> {
  const file = join(dir, name);
  await writeFile(file, text);
  const err = await loadProfile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof ProfileError, `expected a ProfileError for ${name}, got ${String(err)}`);
  assert.ok(err.message.includes(file), `message names the file: ${err.message}`);
  return err;
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

describe('loadProfile', () => {
  for (const name of ['black-friday', 'smoke']) {
    it(`loads the built-in ${name} profile with its sha256`, async () => {
      const file = new URL(`${name}.json`, BUILT_IN).pathname;
      const loaded = await loadProfile(file);
      assert.equal(loaded.profile.name, name);
      assert.match(loaded.sha256, /^[0-9a-f]{64}$/);
      assert.equal(loaded.sha256, parseProfile(await readFile(file, 'utf8'), file).sha256);
    });
  }

  it('bad JSON: names the file, the field being read, the line and column', async () => {
    const text = json(good()).replace('"rate": 0.5', '"rate": 0.5,,');
    const err = await errorFor('bad.json', text);
    assert.match(err.message, /shape\[1\]\.rate: not valid JSON/);
    assert.match(err.message, /line 13, column 19/);
    assert.match(err.message, /after this field, found ","/);
    assert.match(err.message, /fix the JSON syntax/);
  });

  it('truncated file: says so and names the field where the text stops', async () => {
    const text = json(good());
    const err = await errorFor('truncated.json', text.slice(0, text.indexOf('"12:00"') + 4));
    assert.match(err.message, /shape\[2\]\.at: not valid JSON: the file ends at line \d+/);
    assert.match(err.message, /truncated/);
  });

  it('empty file', async () => {
    assert.match((await errorFor('empty.json', '')).message, /\(top level\): the file is empty/);
  });

  it('missing file', async () => {
    const err = await loadProfile(join(dir, 'nope.json')).catch((e: unknown) => e);
    assert.ok(err instanceof ProfileError);
    assert.match(err.message, /nope\.json: \(top level\): no such file/);
  });

  it('rate out of range: names shape[i].rate and says rates are relative to the peak', async () => {
    const p = good();
    p.shape[3]!.rate = 1.5;
    const err = await errorFor('rate.json', json(p));
    assert.equal(err.issues.length, 1);
    assert.match(err.message, /shape\[3\]\.rate: rate must be between 0 and 1 — relative to the peak/);
  });

  it('unknown journey: names mix.<journey> and lists the known ones', async () => {
    const err = await errorFor('mix.json', json({ ...good(), mix: { browse: 1, teleport: 2 } }));
    assert.match(
      err.message,
      new RegExp(`mix\\.teleport: unknown journey — use one of: ${JOURNEY_NAMES.join(', ')} \\(or remove it\\)`),
    );
  });

  it('unsorted shape: names the point out of order', async () => {
    const p = good();
    [p.shape[1], p.shape[2]] = [p.shape[2]!, p.shape[1]!];
    const err = await errorFor('unsorted.json', json(p));
    assert.match(
      err.message,
      /shape\[2\]\.at: points must be in increasing time order: 06:00 is not after shape\[1\]\.at \(12:00\)/,
    );
  });
});

describe('validateProfile sanity rules', () => {
  const issuesOf = (v: unknown) => {
    try {
      parseProfile(json(v), 'p.json');
    } catch (e) {
      assert.ok(e instanceof ProfileError);
      return e.message;
    }
    assert.fail('expected a ProfileError');
  };

  it('accepts duration offsets and spans other than a day', () => {
    const p = {
      ...good(),
      span: '90m',
      shape: [
        { at: '0', rate: 1 },
        { at: '1h', rate: 0.5 },
        { at: '90m', rate: 0 },
      ],
    };
    assert.equal(parseProfile(json(p), 'p.json').profile.shape.length, 3);
  });
  it('needs a point at rate 1', () => {
    assert.match(
      issuesOf({ ...good(), shape: good().shape.map((s) => ({ ...s, rate: s.rate / 2 })) }),
      /shape: no point has rate 1/,
    );
  });
  it('first point at the start, last at the end of the span', () => {
    const p = good();
    p.shape[0]!.at = '01:00';
    p.shape[3]!.at = '23:00';
    const m = issuesOf(p);
    assert.match(m, /shape\[0\]\.at: the first point must be at the start/);
    assert.match(m, /shape\[3\]\.at: the last point must be at the end of the span \(span "24h" = 24:00\)/);
  });
  it('bad time and span texts', () => {
    const p = good();
    p.shape[1]!.at = 'noon';
    assert.match(issuesOf(p), /shape\[1\]\.at: not a time/);
    assert.match(issuesOf({ ...good(), span: '1 day' }), /span: span must be a positive duration/);
  });
  it('wrong types, missing and unknown fields, wrong version', () => {
    const { thinkTime: _t, ...noThink } = good();
    assert.match(issuesOf(noThink), /thinkTime: is required/);
    assert.match(issuesOf({ ...good(), name: 7 }), /name: name must be a short non-empty text/);
    assert.match(issuesOf({ ...good(), peak: 3 }), /\(top level\): unknown field "peak"/);
    assert.match(issuesOf({ ...good(), version: 2 }), /version: version must be 1/);
  });
  it('mix weights must be positive and the mix non-empty', () => {
    assert.match(issuesOf({ ...good(), mix: { browse: 0 } }), /mix\.browse: a journey weight must be greater than 0/);
    assert.match(issuesOf({ ...good(), mix: {} }), /mix: mix needs at least one journey/);
  });
  it('think time p90 at least the median', () => {
    assert.match(
      issuesOf({ ...good(), thinkTime: { medianS: 5, p90S: 2 } }),
      /thinkTime\.p90S: p90S \(2\) must be ≥ medianS \(5\)/,
    );
  });
  it('reports every problem at once', () => {
    const p = good();
    p.shape[0]!.rate = -1;
    const m = issuesOf({ ...p, mix: { dance: 1 }, cacheBust: 'yes' });
    assert.match(m, /3 problems/);
  });
});
