// The seed article as a reader sees it in Chromium: fields in newspaper order,
// a screenshot, and zero axe-core violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMasthead, launchBrowser, runAxe, seedSlug } from './support.mjs';

const screenshots = process.env.SCREENSHOT_DIR ||
    join(dirname(fileURLToPath(import.meta.url)), 'screenshots');
let server;
let browser;

before(async () => {
  server = await startMasthead();
  browser = await launchBrowser();
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the seed article shows date, headline, deck, credit and dateline in order', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  const response = await page.goto(`${server.url}/articles/${seedSlug}`);
  assert.equal(response.status(), 200);

  const fields = await page.evaluate(() => {
    const pick = (selector) => {
      const element = document.querySelector(selector);
      return element ? { text: element.textContent.trim(), top: element.getBoundingClientRect().top } : null;
    };
    return {
      date: pick('.article .pubdate time'),
      headline: pick('.article h1.headline'),
      deck: pick('.article .deck'),
      credit: pick('.article .credit'),
      first: pick('.article-body p#p1'),
    };
  });
  assert.equal(fields.date.text, 'December 23, 2012');
  assert.equal(fields.headline.text, "Russia won't give Assad safe haven, foreign minister says");
  assert.equal(fields.deck.text,
      'He also says Syria has consolidated its chemical weapons at one or two sites to keep them safe.');
  assert.equal(fields.credit.text, 'The Associated Press');
  assert.match(fields.first.text, /^MOSCOW - Russia's foreign minister says Moscow would welcome/);
  const order = [fields.date, fields.headline, fields.deck, fields.credit, fields.first].map((f) => f.top);
  assert.deepEqual([...order].sort((a, b) => a - b), order, `fields out of order: ${order}`);

  const anchors = await page.$$eval('.article-body > p[id]', (ps) => ps.map((p) => p.id));
  assert.deepEqual(anchors, ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10']);

  const jsonLd = JSON.parse(await page.$eval('script[type="application/ld+json"]', (s) => s.textContent));
  assert.equal(jsonLd['@type'], 'NewsArticle');
  assert.equal(jsonLd.datePublished, '2012-12-23T09:30:00Z');

  await page.screenshot({ path: join(screenshots, 'seed-article.png'), fullPage: true });
  assert.deepEqual(errors, [], 'no console errors (a CSP violation would show here)');
  await page.close();
});

test('the seed article has no axe-core violations, on a desktop and on a phone', async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 740 }]) {
    const page = await browser.newPage({ viewport });
    await page.goto(`${server.url}/articles/${seedSlug}`);
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    if (viewport.width < 500) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(overflow, false, 'the page must not scroll sideways on a phone');
      await page.screenshot({ path: join(screenshots, 'seed-article-phone.png'), fullPage: true });
    }
    await page.close();
  }
});

test('front page, section page and search have no axe-core violations', async () => {
  const page = await browser.newPage();
  for (const path of ['/', '/sections/world', '/search?q=chemical', '/no-such-page', '/guidelines']) {
    await page.goto(`${server.url}${path}`);
    const violations = await runAxe(page);
    assert.deepEqual(violations, [], `${path}: ${JSON.stringify(violations, null, 2)}`);
  }
  await page.goto(`${server.url}/`);
  await page.getByRole('link', { name: "Russia won't give Assad safe haven, foreign minister says" }).click();
  await page.waitForURL(`**/articles/${seedSlug}`);
  await page.getByLabel('Search articles').fill('Lavrov');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL('**/search?q=Lavrov');
  assert.match(await page.textContent('.search-summary'), /result/);
  await page.screenshot({ path: join(screenshots, 'search.png') });
  await page.close();
});
