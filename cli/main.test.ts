// The CLI as a user meets it: help, exit codes, and input errors that name the file and field.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from './testing/run-cli.ts';

const BIN = fileURLToPath(new URL('../bin/rehearse.mjs', import.meta.url));

/** The installed entry, as a shell runs it: one test checks the bin wiring and its exit code. */
function rehearseProcess(args: string[]) {
  const res = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

/** The same CLI in-process: main(argv, io) with captured output, and env for the call. */
async function rehearse(args: string[], env: Record<string, string> = {}) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const res = await runCli(args);
    return { code: res.code, out: res.stdout, err: res.stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('--help explains every stage and the exit codes', async () => {
  const res = rehearseProcess(['--help']);
  assert.equal(res.code, 0);
  for (const cmd of ['stack', 'plan', 'run', 'report', 'gate', 'rehearsal'])
    assert.match(res.out, new RegExp(`\\b${cmd}\\b`));
  assert.match(res.out, /Exit codes: 0 ok, 1 gate failed, 2 usage or input error/);
  const stack = await rehearse(['stack', '--help']);
  assert.equal(stack.code, 0);
  assert.match(stack.out, /up\b[\s\S]*down\b[\s\S]*status\b/);
});

test('an unknown command or flag exits 2', async () => {
  assert.equal((await rehearse(['explode'])).code, 2);
  assert.equal((await rehearse(['plan', '--no-such-flag'])).code, 2);
  const bad = await rehearse(['plan', '--duration', 'soon']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /"soon" is not a duration/);
});

test('a malformed profile exits 2 naming the file and the field, before any target is touched', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-cli-'));
  try {
    const file = join(dir, 'broken.json');
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        name: 'broken',
        description: 'rate above the peak',
        span: '1h',
        shape: [
          { at: '0m', rate: 0.5 },
          { at: '30m', rate: 1.7 },
          { at: '60m', rate: 1 },
        ],
        mix: { browse: 1 },
        thinkTime: { medianS: 1, p90S: 3 },
      }),
    );
    // A state dir with nothing running: the profile error must come first all the same.
    const res = await rehearse(['plan', '--profile', file, '--out', join(dir, 'plan.json')], {
      REHEARSE_STATE_DIR: join(dir, 'state'),
    });
    assert.equal(res.code, 2, res.err);
    assert.ok(res.err.includes(file), `names the file: ${res.err}`);
    assert.match(res.err, /shape\[1\]\.rate/);

    await writeFile(file, '{"version": 1, "name": "trunc');
    const truncated = await rehearse(['plan', '--profile', file], { REHEARSE_STATE_DIR: join(dir, 'state') });
    assert.equal(truncated.code, 2);
    assert.ok(truncated.err.includes(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unknown built-in profile lists the ones that exist', async () => {
  const res = await rehearse(['plan', '--profile', 'cyber-tuesday']);
  assert.equal(res.code, 2);
  assert.match(res.err, /no built-in profile "cyber-tuesday": choose one of .*black-friday/);
});

test('a load to a host off the allowlist is refused with exit 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-cli-'));
  try {
    const catalogue = join(dir, 'catalogue.json');
    await writeFile(
      catalogue,
      JSON.stringify({
        version: 1,
        categories: [{ slug: 'toys', name: 'Toys', path: '/product-category/toys/' }],
        products: [{ id: 1, slug: 'kite', name: 'Kite', path: '/product/kite/', category: 'toys', price: '9.99' }],
      }),
    );
    const res = await rehearse([
      'plan',
      '--target',
      'url',
      '--url',
      'http://shop.example.com',
      '--catalogue',
      catalogue,
      '--out',
      join(dir, 'plan.json'),
    ]);
    assert.equal(res.code, 2, res.err);
    assert.match(res.err, /shop\.example\.com/);
    assert.match(res.err, /allow/i);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('report on a directory that is not a run exits 2', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-cli-'));
  try {
    const res = await rehearse(['report', dir]);
    assert.equal(res.code, 2);
    assert.match(res.err, /not a run directory/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('stack up --shop: an unknown shop exits 2; woocommerce exits 2 while its archives have no checksum', async (t) => {
  const unknown = await rehearse(['stack', 'up', '--shop', 'magento']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /fixture, woocommerce/);
  const { WOOCOMMERCE_PIN, WORDPRESS_PIN } = await import('../infra/local/woocommerce/pins.ts');
  if (WORDPRESS_PIN.sha256 && WOOCOMMERCE_PIN.sha256) return t.diagnostic('both pins are filled in: nothing to refuse');
  const dir = await mkdtemp(join(tmpdir(), 'rehearse-cli-'));
  try {
    const stateDir = join(dir, 'state');
    const env = { REHEARSE_STATE_DIR: stateDir, REHEARSE_LOCAL_PORT: '22080' };
    const res = await rehearse(['stack', 'up', '--target', 'local', '--shop', 'woocommerce'], env);
    assert.equal(res.code, 2, res.err);
    assert.match(res.err, /has no SHA-256 .*infra\/local\/woocommerce\/pins\.ts, field sha256/);
    assert.equal(spawnSync('test', ['-e', stateDir]).status, 1, 'no state dir made');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
