// "What is my browser?" in Chromium: it must report Chromium on Linux with the
// version the browser itself reports, fill in what only the browser knows, and
// have no axe-core violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMasthead, launchBrowser, runAxe, seedSlug } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startMasthead();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the TIP link on an article leads to a page that knows this browser', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/articles/${seedSlug}`);
  await page.getByRole('link', { name: 'here' }).click();
  await page.waitForURL('**/support/my-browser');
  // The rules compile in the background after start: reload until they are in.
  for (let i = 0; i < 100 && (await page.textContent('#env-os')).includes('not known yet'); i++) {
    await page.waitForTimeout(100);
    await page.reload();
  }
  const reported = await page.evaluate(() => ({
    ua: navigator.userAgent,
    brands: navigator.userAgentData ? navigator.userAgentData.brands.map((b) => b.brand + ' ' + b.version) : [],
  }));
  const major = reported.ua.match(/Chrome\/(\d+)/)[1];
  const browserText = await page.textContent('#env-browser');
  const osText = await page.textContent('#env-os');
  assert.match(browserText, /Chrom/, browserText);
  assert.ok(browserText.includes(major), `${browserText} should carry version ${major} (${reported.ua})`);
  assert.match(osText, /Linux/, osText);
  assert.equal(await page.textContent('#env-js'), 'Yes');
  assert.match(await page.textContent('#env-screen'), /\d+ × \d+/);
  assert.match(await page.textContent('#env-timezone'), /\w/);
  const summary = await page.inputValue('#env-summary');
  assert.ok(summary.includes(major) && summary.includes('Linux'), summary);
  const href = await page.getAttribute('#share-link', 'href');
  await page.goto(server.url + href);
  assert.ok((await page.textContent('.notice')).includes('Linux'));
  assert.deepEqual(await runAxe(page), []);
  await page.close();
});
