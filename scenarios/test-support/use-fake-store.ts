// The shared set-up of the tests that run k6 against the fake store: a temp directory and a fake
// store on 127.0.0.1 for the whole test file, started before its tests and removed after them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Catalogue } from '../plan/catalogue-schema.ts';
import { startFakeStore, type FakeStore, type FakeStoreOptions } from './fake-store.ts';

export interface FakeStoreEnv {
  /** Set once the file's before hook has run. */
  readonly dir: string;
  readonly store: FakeStore;
}

/** Call at the top level of a test file; read env.dir and env.store inside its tests. */
export function useFakeStore(
  catalogue: Pick<Catalogue, 'categories' | 'products' | 'customers'>,
  tmpPrefix: string,
  opts: FakeStoreOptions = {},
): FakeStoreEnv {
  const env = {} as { dir: string; store: FakeStore };
  before(async () => {
    env.dir = await mkdtemp(join(tmpdir(), tmpPrefix));
    env.store = await startFakeStore(catalogue, opts);
  });
  after(async () => {
    await env.store?.close();
    if (env.dir) await rm(env.dir, { recursive: true, force: true });
  });
  return env;
}
