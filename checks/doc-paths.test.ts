// Every repository path that a comment, a message or a document names exists: a reader sent to a
// file finds it. Paths are recognised by their top-level folder; templates (<id>, *, ${…}) are skipped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOP = '(?:errors|tools|scenarios|reports|infra|runners|pipeline|cli|scripts|bench|docs|test-support|checks|bin)';
// A path starts the token (after space, quote, backtick or bracket) and ends before punctuation.
const PATH = new RegExp(`(?<=^|[\\s'"\`(\\[])(${TOP}/[A-Za-z0-9_./-]*[A-Za-z0-9_/-])(?![A-Za-z0-9_/<*{$])`, 'g');
const TEXT = /\.(ts|mts|mjs|cjs|js|md|php|json|yml|sh)$|^\.ci\/run$/;

// "checks/s" or "runners/local-1" in prose are not paths: a path has an extension, a trailing
// slash, or at least two folders.
const PATH_LIKE = /\.[a-z]+$|\/$|\/.*\//;

export function namedPaths(text: string): string[] {
  return [...text.matchAll(PATH)].map((m) => m[1].replace(/\.+$/, '')).filter((p) => PATH_LIKE.test(p));
}

test('namedPaths finds folder paths in prose and code, and leaves templates alone', () => {
  assert.deepEqual(namedPaths('see `reports/record/README.md`, and (infra/local/layout.ts).'), [
    'reports/record/README.md',
    'infra/local/layout.ts',
  ]);
  assert.deepEqual(namedPaths('runs/<id>/ and cli/${name}.ts and scenarios/k6/*.ts and https://x.io/cli/a.ts'), []);
  assert.deepEqual(namedPaths('5 checks/s on runners/local-1; see infra/aws/'), ['infra/aws/']);
});

test('every path named in a tracked file exists', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => TEXT.test(f) && !/\/fixtures\/|\.test\.ts$/.test(f) && f !== 'package-lock.json');
  const missing: string[] = [];
  for (const file of files) {
    if (!existsSync(join(ROOT, file))) continue; // deleted in the working tree, not yet committed
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const p of new Set(namedPaths(text))) if (!existsSync(join(ROOT, p))) missing.push(`${file}: ${p}`);
  }
  assert.deepEqual(missing, [], `paths named but missing (fix the text or restore the file):\n${missing.join('\n')}`);
});
