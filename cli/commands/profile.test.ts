import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseProfile } from '../../scenarios/profile/load-profile.ts';
import { ReplayFileSchema } from '../../scenarios/replay/replay-file.ts';
import { runCli } from '../testing/run-cli.ts';

const fixture = (n: string) => new URL(`../../scenarios/replay/fixtures/${n}`, import.meta.url).pathname;

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const res = await runCli(['profile', ...args]);
  // Errors surface as a non-zero code with the message on stderr; the tests below expect a throw.
  if (res.code !== 0) throw new Error(res.stderr);
  return res;
}

describe('rehearse profile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rehearse-profile-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('list: every built-in with its span and description', async () => {
    const { stdout } = await run(['list']);
    for (const name of ['black-friday', 'cyber-monday', 'flash-sale', 'smoke', 'soak'])
      assert.match(stdout, new RegExp(`^${name} +\\S+ +\\S`, 'm'));
  });

  it('from-log: writes a valid profile and a replay file; reports malformed lines by count and line', async () => {
    const out = join(dir, 'shop.json');
    const urls = join(dir, 'urls.json');
    const { stderr } = await run([
      'from-log',
      fixture('combined.log'),
      fixture('alb.log'),
      '--out',
      out,
      '--replay-out',
      urls,
      '--speed',
      '10',
    ]);
    const loaded = parseProfile(await readFile(out, 'utf8'), out);
    assert.equal(loaded.profile.name, 'shop');
    assert.match(stderr, /^read 46 requests over \d+ min/m);
    assert.match(stderr, /6 lines could not be read, e\.g\. combined\.log:4 \(.+\); combined\.log:9/);
    const replay = ReplayFileSchema.parse(JSON.parse(await readFile(urls, 'utf8')));
    assert.equal(replay.speed, 10);
    assert.ok(replay.urls.length > 20);
  });

  it('from-log: bad --classify rules are an input error naming the file', async () => {
    const rules = join(dir, 'rules.json');
    await (await import('node:fs/promises')).writeFile(rules, '{"^/x": "nope"}');
    await assert.rejects(
      run(['from-log', fixture('combined.log'), '--out', join(dir, 'x.json'), '--classify', rules]),
      /URL rules .*rules\.json: \["\^\/x"\]: the class must be one of/,
    );
  });
});
