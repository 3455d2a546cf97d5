// The house rules that no single test asserts: types, format, and the layers the imports must follow
// (.dependency-cruiser.cjs; docs/architecture.md, "Layers"). Each runs the tool the way a developer would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Every folder of product and test code; a new top-level folder of code belongs here too. */
export const CODE_DIRS = [
  'errors',
  'tools',
  'scenarios',
  'reports',
  'infra',
  'runners',
  'pipeline',
  'cli',
  'scripts',
  'bench',
  'test-support',
  'checks',
  'bin',
];
const CODE_GLOB = `{${CODE_DIRS.join(',')}}/**/*.{ts,mts,mjs,cjs,js}`;

function tool(bin: string, args: string[]) {
  const res = spawnSync(`${ROOT}node_modules/.bin/${bin}`, args, { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: res.status, output: `${res.stdout}${res.stderr}`.trim() };
}

// Two projects: Node's code, and the k6 scripts (k6's own module types, no Node APIs).
for (const project of ['tsconfig.json', 'scenarios/k6/tsconfig.json']) {
  test(`types: tsc --noEmit -p ${project} finds no error (tsx and k6 strip types and would run wrong code)`, () => {
    const res = tool('tsc', ['--noEmit', '-p', project]);
    assert.equal(res.code, 0, `type errors:\n${res.output}`);
  });
}

test('format: every code file is as Prettier writes it (fix: npx prettier --write <file>)', () => {
  const res = tool('prettier', ['--check', CODE_GLOB, '.dependency-cruiser.cjs']);
  assert.equal(res.code, 0, `not formatted:\n${res.output}`);
});

test('layers: no import cycle, and no import against the layers (.dependency-cruiser.cjs)', () => {
  const res = tool('depcruise', [...CODE_DIRS, '--config', '.dependency-cruiser.cjs', '--output-type', 'err']);
  assert.equal(res.code, 0, `dependency rules broken:\n${res.output}`);
});
