// Opens a rendered report in a real browser (Debian's Chromium through playwright-core): the
// verdict must be visible, every chart must decode, the console must stay clean, and no request
// may leave the file.

import assert from 'node:assert/strict';
import { access, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { renderHtmlReport } from './html-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

test('the report opens offline in Chromium: verdict visible, charts decoded, no console errors, no requests out', async () => {
  await access(CHROMIUM).catch(() => {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium) to run the browser test`);
  });
  const record = await fixtureRecord();
  record.journeys[0].name = '<script>window.__pwned = 1</script>';
  const file = join(await mkdtemp(join(tmpdir(), 'rehearse-browser-')), 'report.html');
  await writeFile(file, await renderHtmlReport(record));

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const verdict = page.locator('#verdict .status');
    assert.equal(await verdict.isVisible(), true);
    assert.equal(await verdict.textContent(), 'ATTENTION');
    assert.equal(await verdict.evaluate((el) => el.getBoundingClientRect().top < (globalThis as unknown as { innerHeight: number }).innerHeight / 2), true, 'verdict is at the top of the first screen');

    const images = await page.$$eval('img', (imgs) => imgs.map((i) => ({ complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, alt: i.alt })));
    assert.equal(images.length, 3);
    for (const img of images) {
      assert.ok(img.complete && img.width > 0 && img.height > 0, `chart decoded: ${JSON.stringify(img)}`);
      assert.ok(img.alt.length > 40, 'chart has meaningful alt text');
    }
    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined, 'data is not executed');
    assert.ok((await page.textContent('body'))!.includes('<script>window.__pwned = 1</script>'), 'data is shown as text');

    assert.deepEqual(problems, []);
    for (const url of requests) assert.match(url, /^(file|data):/, `request left the file: ${url}`);
  } finally {
    await browser.close();
  }
});
