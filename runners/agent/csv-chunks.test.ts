import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CsvChunker, sha256 } from './csv-chunks.ts';

test('chunks carry the header and whole lines only, numbered, checksummed, none lost or repeated', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chunks-'));
  try {
    const file = join(dir, 'samples.csv');
    const c = new CsvChunker(file);
    assert.equal(await c.cut(), null, 'no file yet');
    await appendFile(file, 'metric_name,timestamp,metric_value\nhttp_reqs,1,1\nhttp_req_dur');
    const a = (await c.cut())!;
    assert.deepEqual(
      [a.n, a.body.toString(), a.requests],
      [1, 'metric_name,timestamp,metric_value\nhttp_reqs,1,1\n', 1],
    );
    assert.equal(a.sha256, sha256(a.body));
    assert.equal(c.unfinished, 'http_req_dur'.length);
    assert.equal(await c.cut(), null, 'nothing whole since');
    await appendFile(file, 'ation,1,12.5\nhttp_reqs,2,1\n');
    const b = (await c.cut())!;
    assert.deepEqual(
      [b.n, b.body.toString(), b.requests],
      [2, 'metric_name,timestamp,metric_value\nhttp_req_duration,1,12.5\nhttp_reqs,2,1\n', 1],
    );
    assert.equal(c.requests, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
