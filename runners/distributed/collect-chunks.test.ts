import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sha256 } from '../agent/csv-chunks.ts';
import { DirStore } from '../store/dir-store.ts';
import { ChunkCollector } from './collect-chunks.ts';
import { KEYS } from './run-manifest.ts';
import { shareText } from './runner-faults.ts';

const chunk = (rows: string) => Buffer.from(`metric_name,timestamp,metric_value\n${rows}`);

test('chunks are copied in order, checked against their sha256, a gap waits until the end', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'collect-'));
  try {
    const store = new DirStore(join(dir, 'store'));
    const raw = join(dir, 'raw');
    const seen: string[] = [];
    const c = new ChunkCollector(store, raw, (runner, body) =>
      seen.push(`${runner}:${body.toString('utf8').split('\n')[1]}`),
    );
    const put = (runner: string, n: number, body: Buffer, sha = sha256(body)) =>
      store.put(KEYS.chunk(runner, n, sha), body);
    await put('r0', 1, chunk('http_reqs,1,1\n'));
    await put('r0', 3, chunk('http_reqs,3,1\n'));
    await put('r1', 1, chunk('http_reqs,9,1\n'), 'f'.repeat(64)); // damaged: name and bytes disagree
    await c.poll();
    assert.deepEqual(seen, ['r0:http_reqs,1,1'], 'chunk 3 waits for chunk 2');
    await put('r0', 2, chunk('http_reqs,2,1\n'));
    await c.poll();
    assert.deepEqual(seen, ['r0:http_reqs,1,1', 'r0:http_reqs,2,1', 'r0:http_reqs,3,1']);
    await put('r0', 5, chunk('http_reqs,5,1\n'));
    await c.poll(true);
    assert.deepEqual(seen.slice(3), ['r0:http_reqs,5,1'], 'at the end, a missing chunk does not hold back the rest');
    assert.deepEqual((await readdir(join(raw, 'r0'))).sort(), [
      'samples.1.csv',
      'samples.2.csv',
      'samples.3.csv',
      'samples.5.csv',
    ]);
    assert.equal(await readFile(join(raw, 'r0', 'samples.2.csv'), 'utf8'), chunk('http_reqs,2,1\n').toString());
    assert.equal(c.notes.length, 2, c.notes.join('\n'));
    assert.match(c.notes.join('\n'), /chunks 4–4 never arrived/);
    assert.match(c.notes.join('\n'), /runners\/r1\/chunks\/000001-f+\.csv: sha256 does not match its name .*not used/);
    assert.equal(c.copied.get('r1'), undefined);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('share text: requests, journey starts against the planned share', () => {
  assert.equal(
    shareText({ runner: 'r', segment: '1/4:2/4', share: 0.25, requests: 120, starts: 40 }, 180),
    'ran 120 requests, 40 of ~45 planned journey starts (89 %) of its 1/4:2/4 share',
  );
});
