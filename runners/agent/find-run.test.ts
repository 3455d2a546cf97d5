import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DirStore } from '../store/dir-store.ts';
import {
  CURRENT_RUN_SCHEMA,
  CurrentRunSchema,
  KEYS,
  MANIFEST_SCHEMA,
  runSubPrefix,
  type CurrentRun,
  type RunManifest,
} from '../distributed/run-manifest.ts';
import { AgentError } from './agent-error.ts';
import { findRun } from './find-run.ts';

const manifest = (runId: string): RunManifest => ({
  schema: MANIFEST_SCHEMA,
  runId,
  sequence: '0,1',
  segments: ['0:1'],
  startAt: new Date(Date.now() + 60_000).toISOString(),
  chunkEveryMs: 500,
});
const pointer = (runId: string, prefix = `${runId}/`): CurrentRun => ({
  schema: CURRENT_RUN_SCHEMA,
  runId,
  prefix,
  startAt: new Date().toISOString(),
  bundleSha256: 'c'.repeat(64),
  writtenAt: new Date().toISOString(),
});
const log = () => {};

async function withStore(fn: (store: DirStore) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'find-run-'));
  try {
    await fn(new DirStore(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("a manifest at the store root is the run (a local run's own store)", () =>
  withStore(async (root) => {
    await root.put(KEYS.manifest, JSON.stringify(manifest('own')));
    await root.put(KEYS.currentRun, JSON.stringify(pointer('other')));
    const found = await findRun(root, { log });
    assert.equal(found.store, root);
    assert.equal(found.manifest.runId, 'own');
  }));

test("a fleet store: the agent follows current-run.json to the run's sub-prefix", () =>
  withStore(async (root) => {
    await root.put(`run-1/${KEYS.manifest}`, JSON.stringify(manifest('run-1')));
    await root.put(`run-2/${KEYS.manifest}`, JSON.stringify(manifest('run-2')));
    await root.put(KEYS.currentRun, JSON.stringify(pointer('run-2')));
    const found = await findRun(root, { log });
    assert.equal(found.manifest.runId, 'run-2');
    assert.equal(found.store.where, `${root.where}/run-2/`);
    await found.store.put('claims/0.json', '{}');
    assert.ok(await root.get('run-2/claims/0.json'), "the run store writes under the run's prefix");
  }));

test('nothing there: look once by default (same message as before), or wait a bounded time', () =>
  withStore(async (root) => {
    await assert.rejects(
      findRun(root, { log }),
      (e: Error) =>
        e instanceof AgentError && /: no manifest\.json; start the run with `rehearse run --runners N`/.test(e.message),
    );
    const started = Date.now();
    await assert.rejects(findRun(root, { log, waitMs: 600, pollMs: 100 }), /or check --store \(waited 1 s\)/);
    assert.ok(Date.now() - started >= 550, 'it waited');
    // The controller writes the run while the agent waits.
    setTimeout(() => {
      void root
        .put(`late/${KEYS.manifest}`, JSON.stringify(manifest('late')))
        .then(() => root.put(KEYS.currentRun, JSON.stringify(pointer('late'))));
    }, 300);
    const found = await findRun(root, { log, waitMs: 5000, pollMs: 100 });
    assert.equal(found.manifest.runId, 'late');
  }));

test('a pointer to a missing or different run, and a damaged pointer, are clear errors', () =>
  withStore(async (root) => {
    await root.put(KEYS.currentRun, JSON.stringify(pointer('gone')));
    await assert.rejects(
      findRun(root, { log }),
      /current-run\.json points at run gone in .*gone\/, which has no manifest\.json: start the run again/,
    );
    await root.put(`gone/${KEYS.manifest}`, JSON.stringify(manifest('someone-else')));
    await assert.rejects(
      findRun(root, { log }),
      /manifest\.json is run someone-else, but current-run\.json names gone/,
    );
    await root.put(KEYS.currentRun, JSON.stringify({ ...pointer('x'), prefix: '../escape/' }));
    await assert.rejects(
      findRun(root, { log }),
      (e: Error) => e instanceof AgentError && /current-run\.json: [\s\S]*prefix/.test(e.message),
    );
  }));

test('the pointer schema, and run sub-prefixes', () => {
  assert.equal(CurrentRunSchema.parse(pointer('a')).prefix, 'a/');
  assert.throws(() => CurrentRunSchema.parse({ ...pointer('a'), schema: 'rehearse.current-run/v2' }));
  assert.throws(() => CurrentRunSchema.parse({ ...pointer('a'), extra: 1 }));
  assert.throws(() => CurrentRunSchema.parse({ ...pointer('a'), prefix: 'a/b/' }), 'one level only');
  // Runners check the agent bundle against it before anything of the bundle runs.
  const { bundleSha256: _, ...withoutHash } = pointer('a');
  assert.throws(() => CurrentRunSchema.parse(withoutHash), /bundleSha256/);
  assert.throws(() => CurrentRunSchema.parse({ ...pointer('a'), bundleSha256: 'C'.repeat(64) }), /bundleSha256/);
  assert.equal(runSubPrefix('20261125-104512-black-friday'), '20261125-104512-black-friday/');
  assert.throws(() => runSubPrefix('agent'), /not "agent"\): change "id" in the plan file/);
});
