// The k6 installer's download path, against a local HTTP server serving a stand-in release archive.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../../test-support/temp-dir.ts';
import { K6_RELEASES, K6_VERSION } from '../../tools/k6/pin.mjs';
import { DownloadRefused, downloadK6 } from './k6.mjs';

const MEMBER = 'k6-v9.9.9-test/k6';
let server: Server;
let base: string;
let archive: Buffer;

before(async () => {
  // A stand-in k6: a shell script that answers `k6 version` like the real one.
  const dir = tempDir('k6-archive-');
  mkdirSync(join(dir, 'k6-v9.9.9-test'));
  writeFileSync(join(dir, MEMBER), `#!/bin/sh\necho "k6 ${K6_VERSION} (stand-in)"\n`, { mode: 0o755 });
  execFileSync('tar', ['-czf', join(dir, 'k6.tar.gz'), '-C', dir, 'k6-v9.9.9-test']);
  archive = readFileSync(join(dir, 'k6.tar.gz'));
  server = createServer((req, res) => {
    if (req.url === '/k6.tar.gz') res.end(archive);
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise((r) => server.close(r)));

const release = (sha256: string, name = 'k6.tar.gz') => ({ 'test-x64': { archive: name, member: MEMBER, sha256 } });

test('a release whose SHA-256 matches the pin is unpacked into place and runs', async () => {
  const dest = join(tempDir('k6-dest-'), 'bin', 'k6');
  const sha = createHash('sha256').update(archive).digest('hex');
  await downloadK6(dest, { platform: 'test-x64', base, releases: release(sha) });
  assert.match(spawnSync(dest, ['version'], { encoding: 'utf8' }).stdout, new RegExp(`k6 ${K6_VERSION}`));
  assert.equal(existsSync(`${dest}.part`), false);
});

test('a checksum mismatch is refused and leaves nothing at the destination', async () => {
  const dest = join(tempDir('k6-dest-'), 'k6');
  await assert.rejects(
    downloadK6(dest, { platform: 'test-x64', base, releases: release('0'.repeat(64)) }),
    (err: Error) => err instanceof DownloadRefused && /SHA-256 [0-9a-f]{64} is not the pinned 0{64}/.test(err.message),
  );
  assert.equal(existsSync(dest), false);
});

test('a missing archive or an unpinned platform is refused with the reason, so the installer builds instead', async () => {
  const dest = join(tempDir('k6-dest-'), 'k6');
  await assert.rejects(
    downloadK6(dest, { platform: 'test-x64', base, releases: release('0'.repeat(64), 'missing.tar.gz') }),
    /missing\.tar\.gz answered HTTP 404/,
  );
  await assert.rejects(
    downloadK6(dest, { platform: 'plan9-mips', base }),
    /no pinned k6 release checksum for plan9-mips/,
  );
  assert.equal(existsSync(dest), false);
});

test('the pin agrees with the Go build: tools/k6/go.mod requires the same k6 version', () => {
  const goMod = readFileSync(new URL('../../tools/k6/go.mod', import.meta.url), 'utf8');
  assert.equal(goMod.match(/go\.k6\.io\/k6\/v2 (v\d+\.\d+\.\d+)/)?.[1], K6_VERSION);
  for (const r of Object.values(K6_RELEASES)) {
    assert.match(r.sha256, /^[0-9a-f]{64}$/);
    assert.ok(r.archive.includes(K6_VERSION), `${r.archive} names ${K6_VERSION}`);
  }
});
