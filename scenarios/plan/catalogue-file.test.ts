import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smallCatalogue } from '../test-support/fake-store.ts';
import { readCatalogue } from './catalogue-file.ts';
import { PlanError } from './plan-error.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearse-cat-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = async (name: string, v: unknown) => {
  const path = join(dir, name);
  await writeFile(path, typeof v === 'string' ? v : JSON.stringify(v));
  return path;
};
const fails = async (path: string, pattern: RegExp) => {
  const e = await readCatalogue(path).then(
    () => undefined,
    (x: unknown) => x,
  );
  assert.ok(e instanceof PlanError);
  assert.match(e.message, pattern);
};

describe('readCatalogue', () => {
  it('reads a valid catalogue', async () => {
    const c = await readCatalogue(await write('ok.json', smallCatalogue(2, 3)));
    assert.equal(c.products.length, 6);
  });
  it('refuses a product whose category is not listed', async () => {
    const c = smallCatalogue(2, 2);
    c.products[3]!.category = 'ghost';
    await fails(
      await write('ghost.json', c),
      /catalogue .*ghost\.json: products\[3\]\.category: category "ghost" is not in categories\[\]/,
    );
  });
  it('refuses paths that are not store paths (they could name another host)', async () => {
    const c = smallCatalogue(1, 1);
    c.products[0]!.path = '//evil.example/x';
    await fails(await write('host.json', c), /products\[0\]\.path: must be a URL path on the store/);
  });
  it('says what to do when the file is missing or not JSON', async () => {
    await fails(join(dir, 'none.json'), /no such file — the local replica writes it/);
    await fails(await write('bad.json', '{"version": 1,'), /cannot be read as JSON/);
  });
});
