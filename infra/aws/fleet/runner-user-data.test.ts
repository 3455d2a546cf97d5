// The runner's bundle check, run in bash as the user data runs it: the verify step alone, and the
// user data's own download-verify-unpack lines with /opt/rehearse moved to a temp directory and
// `aws s3 cp` served from local files (nothing leaves this machine).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runnerUserData, VERIFY_BUNDLE } from './runner-user-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'rehearse-runner-ud-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const bash = (script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  spawnSync('bash', ['-c', script, 'bash', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

/** A gzipped tarball holding package/hello.txt, as npm pack lays a bundle out. */
function tarball(name: string, text: string): Buffer {
  const src = join(dir, `${name}-src`);
  mkdirSync(join(src, 'package'), { recursive: true });
  writeFileSync(join(src, 'package', 'hello.txt'), text);
  const out = join(dir, `${name}.tgz`);
  assert.equal(spawnSync('tar', ['-czf', out, '-C', src, 'package']).status, 0);
  return readFileSync(out);
}

const pointer = (bundleSha256?: string) =>
  JSON.stringify({
    schema: 'rehearse.current-run/v1',
    runId: 'p1',
    prefix: 'p1/',
    startAt: new Date().toISOString(),
    ...(bundleSha256 === undefined ? {} : { bundleSha256 }),
    writtenAt: new Date().toISOString(),
  });

describe('verify_bundle <current-run.json> <bundle>', () => {
  const bundle = tarball('verify', 'agent');
  const verify = (pointerText: string, bundleBytes: Buffer | null) => {
    const p = join(dir, 'pointer.json');
    const b = join(dir, 'bundle.tgz');
    writeFileSync(p, pointerText);
    rmSync(b, { force: true });
    if (bundleBytes) writeFileSync(b, bundleBytes);
    return bash(`${VERIFY_BUNDLE}\nverify_bundle "$1" "$2"`, [p, b]);
  };

  test('the bundle the controller uploaded passes', () => {
    const r = verify(pointer(sha256(bundle)), bundle);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`agent bundle SHA-256 ${sha256(bundle)} matches the run pointer`));
  });

  test('a tampered bundle is refused, saying both hashes', () => {
    const tampered = Buffer.from(bundle);
    tampered[tampered.length - 5] ^= 1;
    const r = verify(pointer(sha256(bundle)), tampered);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      new RegExp(
        `refusing the agent bundle: .*bundle\\.tgz has SHA-256 ${sha256(tampered)} but the run pointer .*pointer\\.json says ${sha256(bundle)}: not the bundle the controller uploaded for this run; nothing installed, no agent started`,
      ),
    );
  });

  test('a pointer without a valid hash, or no bundle at all, is refused', () => {
    for (const [text, why] of [
      [pointer(), 'no bundleSha256'],
      [pointer(sha256(bundle).toUpperCase()), 'not lower-case hex'],
      [pointer('x'.repeat(64)), 'not hex'],
      ['{"bundleSha256": ', 'damaged JSON'],
    ] as const) {
      const r = verify(text, bundle);
      assert.equal(r.status, 1, why);
      assert.match(r.stdout, /refusing the agent bundle: .*pointer\.json holds no valid bundleSha256/, why);
    }
    const r = verify(pointer(sha256(bundle)), null);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /refusing the agent bundle: .*bundle\.tgz has SHA-256 {2}but the run pointer/);
  });
});

describe("the user data's own download, check and unpack", () => {
  const good = tarball('ud', 'the real agent');
  const userData = runnerUserData({
    region: 'eu-west-1',
    bucketName: 'runs-bucket',
    bucketRegion: 'eu-west-1',
    rehearsalId: 'bf',
    bundleKey: 'runs/bf/agent/rehearse.tgz',
    roleUniqueId: 'AROAEXAMPLEROLEID01',
    k6Version: 'v2.2.0',
    nodeMajor: 22,
  });
  const from = userData.indexOf('mkdir -p /opt/rehearse\n');
  const to = userData.indexOf('\n', userData.indexOf('\ntar -xzf /opt/rehearse/rehearse.tgz') + 1);
  assert.ok(from > 0 && to > from, 'the bundle lines are in the user data');
  const fragment = userData.slice(from, to);

  /** Runs the fragment with the bucket's objects as given; returns the result and the install directory. */
  function boot(name: string, objects: { pointer: string; bundle: Buffer }) {
    const root = join(dir, name);
    const s3 = join(root, 's3', 'runs-bucket', 'runs', 'bf');
    mkdirSync(join(s3, 'agent'), { recursive: true });
    writeFileSync(join(s3, 'current-run.json'), objects.pointer);
    writeFileSync(join(s3, 'agent', 'rehearse.tgz'), objects.bundle);
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // `aws s3 cp s3://bucket/key dest …` from the local copy.
    writeFileSync(
      join(bin, 'aws'),
      `#!/bin/bash\nset -e\n[ "$1 $2" = "s3 cp" ]\ncp "${join(root, 's3')}/\${3#s3://}" "$4"\n`,
    );
    chmodSync(join(bin, 'aws'), 0o755);
    const install = join(root, 'opt-rehearse');
    const script = `set -euo pipefail\n${fragment.replaceAll('/opt/rehearse', install)}\necho unpacked`;
    return { r: bash(script, [], { PATH: `${bin}:${process.env.PATH}` }), install };
  }

  test('the bundle named in the pointer is unpacked', () => {
    const { r, install } = boot('ok', { pointer: pointer(sha256(good)), bundle: good });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /matches the run pointer\nunpacked\n$/);
    assert.equal(readFileSync(join(install, 'hello.txt'), 'utf8'), 'the real agent');
  });

  test('a swapped bundle: the script exits non-zero before unpacking, and removes the download', () => {
    const evil = tarball('evil', 'not the agent');
    const { r, install } = boot('swapped', { pointer: pointer(sha256(good)), bundle: evil });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /refusing the agent bundle: .* not the bundle the controller uploaded for this run/);
    assert.doesNotMatch(r.stdout, /unpacked/);
    assert.equal(existsSync(join(install, 'hello.txt')), false, 'nothing unpacked');
    assert.equal(existsSync(join(install, 'rehearse.tgz')), false, 'the refused download is removed');
  });
});
