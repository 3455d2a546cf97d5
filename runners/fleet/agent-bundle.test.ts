// The agent bundle is a real npm tarball: listed by tar, holding what `npm ci` and the agent need
// on a runner, and none of the machine's own state.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUNDLE_MUST_HOLD, packAgentBundle } from './agent-bundle.ts';

test(
  'npm pack of the repo: bin/rehearse.mjs, package.json, the lockfile as npm-shrinkwrap.json; no state, runs, tools or tests',
  { timeout: 60_000 },
  async () => {
    const bundle = await packAgentBundle();
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-bundle-test-'));
    try {
      const file = join(dir, 'rehearse.tgz');
      writeFileSync(file, bundle.bytes);
      const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
      assert.ok(
        listed.every((p) => p.startsWith('package/')),
        "npm's layout: the user data unpacks it with --strip-components=1",
      );
      const paths = listed.map((p) => p.slice('package/'.length));
      for (const f of BUNDLE_MUST_HOLD) assert.ok(paths.includes(f), `${f} in the bundle`);
      assert.deepEqual(paths.slice().sort(), bundle.files.slice().sort());
      assert.ok(
        paths.some((p) => p.startsWith('scenarios/k6/')),
        'the k6 entry and journeys',
      );
      for (const p of paths) {
        assert.doesNotMatch(p, /^(\.state|runs|\.tools|node_modules|docs|bench|\.git)\//, p);
        assert.doesNotMatch(p, /\.test\.ts$/, p);
      }
      const pkg = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }));
      const shrinkwrap = JSON.parse(
        execFileSync('tar', ['-xzOf', file, 'package/npm-shrinkwrap.json'], { encoding: 'utf8' }),
      );
      assert.equal(pkg.bin.rehearse, 'bin/rehearse.mjs');
      assert.equal(
        shrinkwrap.packages[''].dependencies.tsx,
        pkg.dependencies.tsx,
        'the lockfile of this very package.json',
      );
      assert.ok(bundle.bytes.length < 5 * 1024 * 1024, `${bundle.bytes.length} bytes`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
