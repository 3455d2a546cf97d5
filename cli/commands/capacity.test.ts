// `rehearse capacity --target aws` as a user meets it before any AWS call: without its config, and
// with a config whose store was never deployed, it exits 2 naming the fix and writes no run.
// (The pin itself is tested against moto in pipeline/capacity/capacity-aws.test.ts.)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { runCli } from '../testing/run-cli.ts';

const dir = tempDir('rehearse-capacity-cli-');
const runsDir = join(dir, 'runs');
const config = join(dir, 'aws.json');

/** In-process, with a state root of its own: nothing is deployed there. */
async function rehearse(args: string[]) {
  const saved = process.env.REHEARSE_AWS_STATE_DIR;
  process.env.REHEARSE_AWS_STATE_DIR = join(dir, 'state');
  try {
    return await runCli(['capacity', '--target', 'aws', '--runs-dir', runsDir, ...args]);
  } finally {
    if (saved === undefined) delete process.env.REHEARSE_AWS_STATE_DIR;
    else process.env.REHEARSE_AWS_STATE_DIR = saved;
  }
}
const runs = () => (existsSync(runsDir) ? readdirSync(runsDir) : []);

writeFileSync(
  config,
  JSON.stringify({ store: { rehearsalId: '20261125-bf', accountId: '123456789012', region: 'us-east-1' } }),
);
writeFileSync(
  join(dir, 'shop.json'),
  JSON.stringify({
    version: 1,
    categories: [{ slug: 'toys', name: 'Toys', path: '/product-category/toys/' }],
    products: [{ id: 1, slug: 'kite', name: 'Kite', path: '/product/kite/', category: 'toys', price: '9.99' }],
  }),
);

test('the help says what --target aws does to the group', async () => {
  const res = await runCli(['capacity', '--help']);
  assert.equal(res.code, 0);
  assert.match(res.stdout.replace(/\s+/g, ' '), /app group pinned at min = max = desired = each count/);
  assert.match(res.stdout, /--aws-config <file>/);
});

test('without --aws-config: exit 2 naming the flag', async () => {
  const res = await rehearse(['--instances', '1,2', '--catalogue', join(dir, 'shop.json')]);
  assert.equal(res.status, 2, res.stderr);
  assert.match(res.stderr, /--target aws needs --aws-config FILE/);
  assert.deepEqual(runs(), []);
});

test('a store stack that was never deployed: exit 2 saying to run stack up first, and no run directory', async () => {
  const res = await rehearse(['--instances', '1,2', '--aws-config', config, '--catalogue', join(dir, 'shop.json')]);
  assert.equal(res.status, 2, res.stderr);
  assert.match(
    res.stderr,
    /no deployed store stack rehearse-20261125-bf-store .*run `rehearse stack up --target aws --aws-config .*aws\.json` first/,
  );
  assert.deepEqual(runs(), []);
});
