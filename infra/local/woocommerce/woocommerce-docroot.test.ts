// The real shop's install path against a local HTTP server on 127.0.0.1 serving small stand-in
// archives (these machines cannot reach wordpress.org): a verified download is unpacked into a
// docroot; a checksum mismatch, a missing archive (404) and an unfilled pin are refused with a
// message that says what to do, and leave nothing behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InputError, RunError } from '../../../errors/errors.ts';
import { tempDir } from '../../../test-support/temp-dir.ts';
import { archiveUrl, fetchArchive } from './fetch-archive.ts';
import { MIRROR_ENV, WOOCOMMERCE_PIN, WORDPRESS_PIN, type ArchivePin } from './pins.ts';
import { resolveLayout } from '../layout.ts';
import { up } from '../replica.ts';
import { checkWooPins, ensureWooDocroot } from './woo-docroot.ts';
import { buildWooDocroot, checkClassMap, classMapFiles, docrootMatches, SHOP_MARKER } from './unpack.ts';

const work = tempDir('rehearse-woo-');
const served = path.join(work, 'served');
const requests: string[] = [];
let server: Server;
let mirror = '';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Stand-ins shaped like the real archives: wordpress/… in a tar.gz, woocommerce/… in a zip. */
function makeArchives(): void {
  const src = path.join(work, 'src');
  fs.mkdirSync(path.join(src, 'wordpress', 'wp-content', 'themes', 'twentytwentyfive'), { recursive: true });
  fs.writeFileSync(path.join(src, 'wordpress', 'wp-settings.php'), '<?php // stand-in\n');
  const plugin = path.join(src, 'woocommerce');
  fs.mkdirSync(path.join(plugin, 'src', 'Caching'), { recursive: true });
  fs.mkdirSync(path.join(plugin, 'vendor', 'composer'), { recursive: true });
  fs.writeFileSync(path.join(plugin, 'woocommerce.php'), '<?php // stand-in\n');
  fs.writeFileSync(path.join(plugin, 'src', 'Caching', 'WPCacheEngine.php'), '<?php class WPCacheEngine {}\n');
  fs.writeFileSync(path.join(plugin, 'src', 'Caching', 'ObjectCache.php'), '<?php class ObjectCache {}\n');
  fs.writeFileSync(
    path.join(plugin, 'vendor', 'composer', 'autoload_classmap.php'),
    `<?php
$vendorDir = dirname(__DIR__);
$baseDir = dirname($vendorDir);
return array(
    'Automattic\\\\WooCommerce\\\\Caching\\\\ObjectCache' => $baseDir . '/src/Caching/ObjectCache.php',
    'Automattic\\\\WooCommerce\\\\Caching\\\\WpCacheEngine' => $baseDir . '/src/Caching/WpCacheEngine.php',
    'Composer\\\\InstalledVersions' => $vendorDir . '/composer/InstalledVersions.php',
);
`,
  );
  fs.mkdirSync(served, { recursive: true });
  execFileSync('tar', ['-czf', path.join(served, WORDPRESS_PIN.file), '-C', src, 'wordpress']);
  execFileSync('zip', ['-qr', path.join(served, WOOCOMMERCE_PIN.file), 'woocommerce'], { cwd: src });
}

const pinned = (pin: ArchivePin): ArchivePin => ({ ...pin, sha256: sha(path.join(served, pin.file)) });

before(async () => {
  makeArchives();
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(served, path.basename(req.url ?? ''));
    if (!req.url?.startsWith('/mirror/') || !fs.existsSync(file)) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mirror/`;
});
after(() => new Promise<void>((ok) => server.close(() => ok())));

describe('pins', () => {
  it('pin WordPress ≥ 6.7 and WooCommerce 10.0.2 at their official download URLs', () => {
    const [major, minor] = WORDPRESS_PIN.version.split('.').map(Number) as [number, number];
    assert.ok(major > 6 || (major === 6 && minor >= 7), WORDPRESS_PIN.version);
    assert.equal(WORDPRESS_PIN.url, `https://wordpress.org/${WORDPRESS_PIN.file}`);
    assert.equal(WOOCOMMERCE_PIN.url, 'https://downloads.wordpress.org/plugin/woocommerce.10.0.2.zip');
    for (const pin of [WORDPRESS_PIN, WOOCOMMERCE_PIN])
      assert.ok(pin.sha256 === null || /^[0-9a-f]{64}$/.test(pin.sha256), pin.label);
  });

  it('a mirror serves the archives by file name; without one, the official URL', () => {
    assert.equal(archiveUrl(WOOCOMMERCE_PIN, undefined), WOOCOMMERCE_PIN.url);
    assert.equal(
      archiveUrl(WOOCOMMERCE_PIN, 'http://127.0.0.1:9/wp//'),
      'http://127.0.0.1:9/wp/woocommerce.10.0.2.zip',
    );
    assert.throws(
      () => archiveUrl(WOOCOMMERCE_PIN, 'ftp://mirror/'),
      (e: unknown) => e instanceof InputError && e.message.includes(MIRROR_ENV),
    );
  });
});

describe('fetchArchive', () => {
  it('downloads from the mirror, checks the SHA-256 and keeps the archive; a second call uses the cache', async () => {
    const cacheDir = path.join(work, 'cache-ok');
    const before = requests.length;
    const file = await fetchArchive(pinned(WORDPRESS_PIN), { cacheDir, mirror });
    assert.equal(file, path.join(cacheDir, WORDPRESS_PIN.file));
    assert.equal(sha(file), sha(path.join(served, WORDPRESS_PIN.file)));
    assert.equal(await fetchArchive(pinned(WORDPRESS_PIN), { cacheDir, mirror }), file);
    assert.equal(requests.length - before, 1, 'the verified copy is reused');
  });

  it('reads the mirror from REHEARSE_WP_MIRROR', async () => {
    process.env[MIRROR_ENV] = mirror;
    try {
      const file = await fetchArchive(pinned(WOOCOMMERCE_PIN), { cacheDir: path.join(work, 'cache-env') });
      assert.ok(fs.existsSync(file));
    } finally {
      delete process.env[MIRROR_ENV];
    }
  });

  it('refuses an archive whose SHA-256 differs from the pin, keeping nothing', async () => {
    const cacheDir = path.join(work, 'cache-bad');
    const wrong = { ...WORDPRESS_PIN, sha256: '0'.repeat(64) };
    await assert.rejects(
      fetchArchive(wrong, { cacheDir, mirror }),
      (e: unknown) =>
        e instanceof RunError &&
        /has SHA-256 [0-9a-f]{64}, but infra\/local\/woocommerce\/pins\.ts pins 0{64}/.test(e.message) &&
        /nothing was unpacked/.test(e.message),
    );
    assert.deepEqual(fs.readdirSync(cacheDir), []);
  });

  it('a damaged cached copy is fetched again', async () => {
    const cacheDir = path.join(work, 'cache-damaged');
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(path.join(cacheDir, WORDPRESS_PIN.file), 'truncated');
    const file = await fetchArchive(pinned(WORDPRESS_PIN), { cacheDir, mirror });
    assert.equal(sha(file), pinned(WORDPRESS_PIN).sha256);
  });

  it('a missing archive (404) names the URL and the mirror setting', async () => {
    const cacheDir = path.join(work, 'cache-404');
    const absent = { ...pinned(WORDPRESS_PIN), file: 'wordpress-0.0.0.tar.gz' };
    await assert.rejects(
      fetchArchive(absent, { cacheDir, mirror }),
      (e: unknown) =>
        e instanceof RunError &&
        e.message.includes(`${mirror}wordpress-0.0.0.tar.gz answered HTTP 404`) &&
        e.message.includes(MIRROR_ENV),
    );
    assert.deepEqual(fs.readdirSync(cacheDir), []);
  });

  it('a pin without a checksum is refused before any download, naming the file and field to fill', async () => {
    const before = requests.length;
    await assert.rejects(
      fetchArchive({ ...WOOCOMMERCE_PIN, sha256: null }, { cacheDir: path.join(work, 'cache-unpinned'), mirror }),
      (e: unknown) =>
        e instanceof InputError &&
        /WooCommerce plugin 10\.0\.2 has no SHA-256 .*pins\.ts, field sha256 of woocommerce\.10\.0\.2\.zip.*sha256sum/.test(
          e.message,
        ),
    );
    assert.equal(requests.length, before);
  });
});

describe('buildWooDocroot', () => {
  it("unpacks core and plugin, mends the class map's case mismatch and marks what it was built from", async () => {
    const cacheDir = path.join(work, 'cache-build');
    const docroot = path.join(work, 'docroot');
    const marker = {
      shop: 'woocommerce' as const,
      wordpress: WORDPRESS_PIN.version,
      woocommerce: WOOCOMMERCE_PIN.version,
    };
    assert.equal(docrootMatches(docroot, marker), false);
    const classes = await buildWooDocroot(docroot, {
      wordpressArchive: await fetchArchive(pinned(WORDPRESS_PIN), { cacheDir, mirror }),
      woocommerceArchive: await fetchArchive(pinned(WOOCOMMERCE_PIN), { cacheDir, mirror }),
      marker,
    });
    assert.ok(fs.existsSync(path.join(docroot, 'wp-settings.php')));
    assert.ok(fs.existsSync(path.join(docroot, 'wp-content', 'plugins', 'woocommerce', 'woocommerce.php')));
    assert.deepEqual(classes, {
      entries: 3,
      fixed: ['src/Caching/WpCacheEngine.php'],
      missing: ['vendor/composer/InstalledVersions.php'],
    });
    assert.ok(
      fs.existsSync(path.join(docroot, 'wp-content', 'plugins', 'woocommerce', 'src', 'Caching', 'WpCacheEngine.php')),
    );
    assert.ok(docrootMatches(docroot, marker));
    assert.equal(docrootMatches(docroot, { ...marker, woocommerce: '10.0.3' }), false);
    assert.deepEqual(
      fs.readdirSync(work).filter((f) => /docroot\.(tmp|unpack)$/.test(f)),
      [],
      'no build dirs left',
    );
    assert.ok(fs.existsSync(path.join(docroot, SHOP_MARKER)));
  });

  it('refuses an archive that is not WordPress core, leaving the old docroot as it was', async () => {
    const docroot = path.join(work, 'docroot-kept');
    fs.mkdirSync(docroot, { recursive: true });
    fs.writeFileSync(path.join(docroot, 'keep'), '1');
    const wooZip = path.join(served, WOOCOMMERCE_PIN.file);
    const notCore = path.join(work, 'not-core.tar.gz');
    execFileSync('tar', ['-czf', notCore, '-C', work, 'served']);
    await assert.rejects(
      buildWooDocroot(docroot, {
        wordpressArchive: notCore,
        woocommerceArchive: wooZip,
        marker: { shop: 'woocommerce', wordpress: 'x', woocommerce: 'y' },
      }),
      (e: unknown) => e instanceof RunError && /holds no wordpress\/wp-settings\.php/.test(e.message),
    );
    assert.deepEqual(fs.readdirSync(docroot), ['keep']);
  });
});

describe('the replica with --shop woocommerce', () => {
  it('builds its docroot from the mirror once, and again only when the pins change', async () => {
    const layout = resolveLayout({ stateDir: path.join(work, 'state'), port: 22080 });
    const pins = { wordpress: pinned(WORDPRESS_PIN), woocommerce: pinned(WOOCOMMERCE_PIN) };
    assert.equal(await ensureWooDocroot(layout, { mirror, pins }), true);
    assert.ok(
      fs.existsSync(path.join(layout.wordpress.docroot, 'wp-content', 'plugins', 'woocommerce', 'woocommerce.php')),
    );
    assert.ok(
      fs.existsSync(path.join(layout.stateDir, 'downloads', WOOCOMMERCE_PIN.file)),
      'the verified archives are kept',
    );
    assert.equal(await ensureWooDocroot(layout, { mirror, pins }), false);
    const next = { ...pins, woocommerce: { ...pins.woocommerce, version: '10.0.3' } };
    assert.equal(await ensureWooDocroot(layout, { mirror, pins: next }), true);
  });

  it('up() refuses while a pin has no checksum, before writing anything to the state dir', async () => {
    // Once both pins are filled in there is nothing to refuse: then the check must pass.
    if (WORDPRESS_PIN.sha256 && WOOCOMMERCE_PIN.sha256) return assert.doesNotThrow(() => checkWooPins());
    const stateDir = path.join(work, 'never-made');
    await assert.rejects(
      up({ stateDir, port: 22080, shop: 'woocommerce' }),
      (e: unknown) => e instanceof InputError && /has no SHA-256 .*pins\.ts, field sha256/.test(e.message),
    );
    assert.equal(fs.existsSync(stateDir), false);
  });
});

describe('classMapFiles and checkClassMap', () => {
  it('reads $baseDir and $vendorDir entries', () => {
    assert.deepEqual(classMapFiles("'A' => $baseDir . '/src/A.php',\n'B' => $vendorDir . '/x/B.php',"), [
      'src/A.php',
      'vendor/x/B.php',
    ]);
  });
  it('a plugin without a class map has nothing to check', () => {
    assert.deepEqual(checkClassMap(path.join(work, 'nowhere')), { entries: 0, fixed: [], missing: [] });
  });
});
