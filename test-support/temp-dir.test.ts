import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const HELPER = fileURLToPath(new URL('./temp-dir.ts', import.meta.url));

/** Runs `body` in a fresh node process (tempDir imported), returns the lines it printed and its exit code. */
function child(body: string): { lines: string[]; status: number | null } {
  const script = `import { writeFileSync, mkdirSync, existsSync } from 'node:fs';\nimport { tempDir } from ${JSON.stringify(HELPER)};\n${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.stderr.replace(/^# .*\n/gm, ''), '', r.stderr);
  return { lines: r.stdout.trim().split('\n'), status: r.status };
}

test('tempDir keeps its prefix, lives until the process exits, then is removed with its contents', () => {
  const { lines, status } = child(`
    const a = tempDir('rehearse-temp-dir-test-');
    const b = tempDir('rehearse-temp-dir-test-');
    mkdirSync(a + '/x/y', { recursive: true });
    writeFileSync(a + '/x/y/file', 'data');
    // Still there once the event loop has moved on (e.g. in a later after hook).
    setTimeout(() => console.log(a + '\\n' + b + '\\n' + existsSync(a + '/x/y/file')), 50);
  `);
  assert.equal(status, 0);
  const [a, b, existed] = lines;
  assert.match(basename(a), /^rehearse-temp-dir-test-\w{6}$/);
  assert.notEqual(a, b);
  assert.equal(existed, 'true');
  assert.equal(existsSync(a), false, `${a} removed at exit`);
  assert.equal(existsSync(b), false, `${b} removed at exit`);
});

test('process.exit with a failure code removes them too, and keeps the code', () => {
  const { lines, status } = child(`
    const a = tempDir('rehearse-temp-dir-test-');
    writeFileSync(a + '/file', 'data');
    console.log(a);
    process.exit(3);
  `);
  assert.equal(status, 3);
  assert.equal(existsSync(lines[0]), false);
});
