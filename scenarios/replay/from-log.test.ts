// from-log on the fixtures: nginx/Apache combined (plain and gzipped) and AWS ALB logs.
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { curveIntegral, profileCurve } from '../profile/curve.ts';
import { DEFAULT_RULES } from './classify.ts';
import { journeyFor, profileFromDigest } from './profile-from-log.ts';
import { isJourneyName } from '../shared/journeys.ts';
import { digestLogs } from './read-log.ts';
import { replayFromDigest } from './replay-file.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;
const digest = (files: string[], keepReplay = false) =>
  digestLogs(files.map(fixture), { rules: DEFAULT_RULES, keepReplay });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Parsed and malformed lines counted independently of the parser: by what the fixtures hold. */
async function fixtureCounts(name: string) {
  const text = name.endsWith('.gz')
    ? (await import('node:zlib')).gunzipSync(await readFile(fixture(name))).toString()
    : await readFile(fixture(name), 'utf8');
  const lines = text.split('\n').slice(0, -1);
  const looksGood = (l: string) =>
    /^\S+ - \S+ \[\d\d\/\w{3}\/\d{4}:[0-2]\d:[0-5]\d:[0-5]\d [+-]\d{4}\] "[A-Z]+ \/\S* HTTP\/[\d.]+" \d{3} \d+ ".*" ".*"$/.test(
      l,
    ) ||
    /^(https?|h2) \S+Z \S+ \S+ \S+ [\d.]+ [\d.]+ [\d.]+ \d{3} \d{3} \d+ \d+ "[A-Z]+ https?:\/\/\S+ HTTP\/1\.1" ".*" /.test(
      l,
    );
  return { good: lines.filter(looksGood).length, blank: lines.filter((l) => l === '').length, total: lines.length };
}

describe('profile from-log', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-from-log-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const name of ['combined.log', 'combined-day2.log.gz', 'alb.log']) {
    it(`${name}: the curve’s total is the parsed line count; malformed lines counted and named`, async () => {
      const d = await digest([name]);
      const want = await fixtureCounts(name);
      assert.equal(d.parsed, want.good);
      assert.equal(sum(d.curve.minuteCounts), d.parsed);
      assert.equal(d.malformed.count, want.total - want.good - want.blank);
      assert.equal(d.blank, want.blank);
      assert.ok(d.malformed.count > 0 && d.malformed.first.length === Math.min(5, d.malformed.count));
      assert.match(d.malformed.first[0]!, new RegExp(`^${name.replace(/\./g, '\\.')}:\\d+ \\(.+\\)$`));
      assert.equal(sum(Object.values(d.classes)), d.parsed);
    });
  }

  it('combined.log: malformed lines by line number; visits become journeys; think time from the pauses', async () => {
    const d = await digest(['combined.log']);
    assert.deepEqual(
      d.malformed.first.map((m) => m.split(' ')[0]),
      ['combined.log:4', 'combined.log:9', 'combined.log:13', 'combined.log:21'],
    );
    assert.equal(d.blank, 1);
    // A buyer, a searcher, a cart abandoner, a returning customer, and two browsers.
    assert.deepEqual(d.visits, { checkout: 1, abandon: 1, returning: 1, search: 1, browse: 2 });
    assert.equal(d.curve.startMs, Date.UTC(2025, 10, 28, 0, 0, 0));
    assert.ok(d.think && d.think.medianS >= 2 && d.think.p90S >= d.think.medianS);
  });

  it('several files (plain + gz + ALB) add up; the profile’s shape integrates to the curve, peak 1', async () => {
    const d = await digest(['combined.log', 'combined-day2.log.gz', 'alb.log']);
    const parts = await Promise.all(['combined.log', 'combined-day2.log.gz', 'alb.log'].map((f) => digest([f])));
    assert.equal(d.parsed, sum(parts.map((p) => p.parsed)));
    assert.equal(d.malformed.count, sum(parts.map((p) => p.malformed.count)));
    assert.equal(sum(d.curve.minuteCounts), d.parsed);
    const { profile, notes } = profileFromDigest(d, { name: 'shop-logs', file: 'out.json' });
    const curve = profileCurve(profile);
    const max = Math.max(...d.curve.minuteCounts);
    // The shape is relative to the busiest minute: its integral (peak-seconds) × max/60 = requests.
    assert.ok(
      Math.abs((curveIntegral(curve) * max) / 60 / d.parsed - 1) < 0.01,
      `${curveIntegral(curve)} ${max} ${d.parsed}`,
    );
    // Three and a half days of logs: wider buckets, the span rounded up to whole buckets.
    const minutes = d.curve.minuteCounts.length;
    assert.ok(minutes > 1440 * 3);
    assert.ok(curve.spanS >= minutes * 60 && curve.spanS < (minutes + 4) * 60, `${curve.spanS} vs ${minutes} min`);
    assert.ok(notes.some((n) => /-minute buckets/.test(n)));
    assert.ok(curve.points.length <= 1442);
  });

  it('the mix names only registered journeys: unregistered visit kinds fall back, and say so', async () => {
    const d = await digest(['combined.log']);
    const { profile, notes } = profileFromDigest(d, { name: 'x', file: 'x.json' });
    assert.ok(Object.keys(profile.mix).every(isJourneyName));
    assert.equal(sum(Object.values(profile.mix)), sum(Object.values(d.visits)), 'every visit is counted once');
    for (const kind of Object.keys(d.visits)) {
      if (!isJourneyName(kind))
        assert.ok(
          notes.some((n) => n.includes(`1 ${kind} visits counted as`) || kind === 'browse'),
          kind,
        );
    }
    const only = (names: string[]) => (n: string) => names.includes(n);
    assert.equal(journeyFor('checkout', only(['browse', 'cart'])), 'cart');
    assert.equal(journeyFor('abandon', only(['browse', 'cart', 'abandon'])), 'abandon');
    assert.equal(journeyFor('returning', only(['browse', 'cart'])), 'browse');
    assert.equal(journeyFor('search', only(['search'])), 'search');
  });

  it('replay: GET URLs only, path + query (no host), offsets divided by the speed-up, admin left out', async () => {
    const d = await digest(['alb.log', 'combined.log'], true);
    const r = replayFromDigest(d, 60, ['alb.log', 'combined.log']);
    assert.ok(r.urls.every(([, path]) => path.startsWith('/') && !path.includes('shop.example')));
    assert.ok(!r.urls.some(([, path]) => path.startsWith('/wp-admin')));
    const gets = d.replay.length;
    assert.equal(r.urls.length, gets);
    assert.ok(gets < d.parsed, 'POST and HEAD left out');
    for (let i = 1; i < r.urls.length; i++) assert.ok(r.urls[i]![0] >= r.urls[i - 1]![0]);
    const spanS = (d.replay.at(-1)![0] - d.replay[0]![0]) / 1000;
    assert.ok(Math.abs(r.urls.at(-1)![0] - spanS / 60) < 0.002);
  });

  it('a truncated gzip file is an error naming the file and how far it got', async () => {
    const bytes = await readFile(fixture('combined-day2.log.gz'));
    const cut = join(dir, 'cut.log.gz');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(
      digestLogs([cut], { rules: DEFAULT_RULES, keepReplay: false }),
      /log .*cut\.log\.gz: not a complete gzip file after line \d+/,
    );
    const renamed = join(dir, 'plain-named.log');
    await copyFile(fixture('combined-day2.log.gz'), renamed);
    assert.equal(
      (await digestLogs([renamed], { rules: DEFAULT_RULES, keepReplay: false })).parsed,
      300,
      'gzip is detected by content, not name',
    );
  });
});
