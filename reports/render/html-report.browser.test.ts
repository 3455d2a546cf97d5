// Opens a rendered report in a real browser (Debian's Chromium through playwright-core): the
// verdict must be visible, every chart must decode, the console must stay clean, and no request
// may leave the file.

import assert from 'node:assert/strict';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { tempDir } from '../../test-support/temp-dir.ts';
import { runVerdict } from '../analyse/verdict.ts';
import { fixtureAnalysis } from '../fixtures/fixture-analysis.ts';
import { fixtureRecord } from '../fixtures/fixture-record.ts';
import { renderHtmlReport } from './html-report.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

async function withBrowser(f: (b: Browser) => Promise<void>): Promise<void> {
  await access(CHROMIUM).catch(() => {
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium package (apt-get install chromium) to run the browser test`,
    );
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    await f(browser);
  } finally {
    await browser.close();
  }
}

/** Opens the file; returns the verdict text, the images, the problems and every request made. */
async function open(browser: Browser, html: string) {
  const file = join(tempDir('rehearse-browser-'), 'report.html');
  await writeFile(file, html);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const images = await page.$$eval('img', (imgs) =>
    imgs.map((i) => ({
      complete: i.complete,
      width: i.naturalWidth,
      height: i.naturalHeight,
      alt: i.alt,
      title: i.closest('figure')?.querySelector('figcaption b')?.textContent ?? '',
    })),
  );
  return { page, problems, requests, images, verdict: await page.locator('#verdict .status').textContent() };
}

test('with telemetry, a plan and an SLO: verdict from the SLO, every new chart rendered, nothing empty, no request out', async () => {
  const record = await fixtureRecord();
  record.run.interrupted = false;
  const j = record.journeys[0];
  const slo = {
    version: 1 as const,
    name: 'browser',
    errorRate: 0.5,
    checksPass: 0.5,
    journeys: { [j.name]: { p95Ms: 0.001 } },
    abortOnErrorRate: 0.5,
  };
  // The fixture's checkout journey fails its cart request every time: let journeys fail so a window meets this SLO.
  const lenient = { ...slo, journeys: Object.fromEntries(record.journeys.map((x) => [x.name, { errorRate: 1 }])) };
  const { telemetry, analysis } = await fixtureAnalysis(record, lenient);
  // The SLO the verdict uses breaks one objective: the verdict must say FAIL and name it.
  const { analysis: failing } = await fixtureAnalysis(record, slo);
  await withBrowser(async (browser) => {
    const { page, problems, requests, images, verdict } = await open(
      browser,
      await renderHtmlReport(record, { verdict: runVerdict(failing.gate!), analysis, telemetry }),
    );
    assert.equal(verdict, 'FAIL');
    assert.match(
      (await page.locator('#verdict').textContent())!,
      new RegExp(`Journey ${j.name}: p95 .* is above 0\\.001 ms`),
    );
    const titles = images.map((i) => i.title);
    for (const t of [
      'Throughput and p95 latency',
      'Arrival rate: achieved vs plan',
      'Latency percentiles over time',
      'p95 latency per journey',
      'Errors over time',
      'Instances and scaling activities',
      'CPU per tier',
      'Cost per request over time (modelled)',
    ]) {
      assert.ok(titles.includes(t + '.'), `chart "${t}" in ${JSON.stringify(titles)}`);
    }
    for (const img of images)
      assert.ok(
        img.complete && img.width > 0 && img.height > 0 && img.alt.length > 40,
        `chart decoded with alt text: ${JSON.stringify(img)}`,
      );
    assert.match((await page.textContent('#cost ~ figure figcaption'))!, /modelled .*price book of \d{4}-\d\d-\d\d/i);
    for (const id of ['#slo', '#capacity', '#sale-day', '#checkout', '#cost', '#errors'])
      assert.equal(await page.locator(id).count(), 1, id);
    assert.deepEqual(problems, []);
    for (const url of requests) assert.match(url, /^(file|data):/, `request left the file: ${url}`);
  });
});

test('the report opens offline in Chromium: verdict visible, charts decoded, no console errors, no requests out', async () => {
  const record = await fixtureRecord();
  record.journeys[0].name = '<script>window.__pwned = 1</script>';
  await withBrowser(async (browser) => {
    const { page, problems, requests, images, verdict } = await open(browser, await renderHtmlReport(record));
    assert.equal(verdict, 'FAIL');
    const status = page.locator('#verdict .status');
    assert.equal(await status.isVisible(), true);
    assert.equal(
      await status.evaluate(
        (el) => el.getBoundingClientRect().top < (globalThis as unknown as { innerHeight: number }).innerHeight / 2,
      ),
      true,
      'verdict is at the top of the first screen',
    );

    assert.equal(images.length, 4, 'without telemetry or a plan: the four record charts only, no empty ones');
    for (const img of images) {
      assert.ok(img.complete && img.width > 0 && img.height > 0, `chart decoded: ${JSON.stringify(img)}`);
      assert.ok(img.alt.length > 40, 'chart has meaningful alt text');
    }
    assert.equal(
      await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
      undefined,
      'data is not executed',
    );
    assert.ok(
      (await page.textContent('body'))!.includes('<script>window.__pwned = 1</script>'),
      'data is shown as text',
    );

    assert.deepEqual(problems, []);
    for (const url of requests) assert.match(url, /^(file|data):/, `request left the file: ${url}`);
  });
});
