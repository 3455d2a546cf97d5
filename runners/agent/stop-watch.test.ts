import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DirStore } from '../store/dir-store.ts';
import { KEYS } from '../distributed/run-manifest.ts';
import { watchStop } from './stop-watch.ts';

test('an agent stops on stop.json from the controller, or on its own signal, and says which', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stop-watch-'));
  const lines: string[] = [];
  try {
    const store = new DirStore(dir);
    const byStore = watchStop({ store, everyMs: 50, log: (l) => lines.push(l), runner: 'r1' });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(byStore.signal.aborted, false, 'no stop.json, no stop');
    await store.put(KEYS.stop, '{}');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(byStore.signal.aborted, true);
    assert.equal(byStore.byController(), true);
    assert.match(lines.join('\n'), /runner r1: the controller asked every runner to stop \(stop\.json\)/);
    byStore.close();

    const own = new AbortController();
    const bySignal = watchStop({
      store: new DirStore(join(dir, 'elsewhere')),
      own: own.signal,
      everyMs: 50,
      log: () => {},
      runner: 'r2',
    });
    own.abort();
    assert.equal(bySignal.signal.aborted, true);
    assert.equal(bySignal.byController(), false, 'a signal reached k6 too: the agent must not send another');
    bySignal.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
