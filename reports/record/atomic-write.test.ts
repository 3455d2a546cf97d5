import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { writeFileAtomic } from './atomic-write.ts';

test('replaces the file in one step and leaves no temp file', async () => {
  const dir = tempDir('rehearse-atomic-');
  const path = join(dir, 'record.json');
  await writeFile(path, 'old');
  await writeFileAtomic(path, 'new contents');
  assert.equal(await readFile(path, 'utf8'), 'new contents');
  assert.deepEqual(await readdir(dir), ['record.json']);
});

test('a failure names the path and the likely fix', async () => {
  const path = join(tmpdir(), 'rehearse-no-such-dir', 'x', 'record.json');
  await assert.rejects(
    writeFileAtomic(path, 'x'),
    /rehearse-no-such-dir\/x\/record\.json: could not write .*check the directory exists/,
  );
});
