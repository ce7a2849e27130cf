// The nudge to rephrase as a writer meets it in Chromium, with JavaScript off
// (it is plain HTML): a high-scoring comment comes back with the reason and the
// clause and the text kept; a rephrased one is posted, an unchanged one gets the
// normal decision. axe-core checks the page with the nudge on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMasthead, startSmtpSink, launchBrowser, runAxe, seedSlug, becomeReader } from './support.mjs';

let sink;
let server;
let browser;

before(async () => {
  sink = await startSmtpSink();
  server = await startMasthead({
    MASTHEAD_MAIL_SMTP_URL: sink.url,
    MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST: 'minimum',
    MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT: '0',
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

test('a nudged writer sees why, keeps the text, and may rephrase once', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await becomeReader(page, server, sink, 'nia@example.org', 'Nia Writer');
  const articleUrl = `${server.url}/articles/${seedSlug}`;
  const box = () => page.getByLabel(/Your comment, as Nia Writer/);
  const nudge = page.locator('#comment-nudge');

  // The honeypot is there for programs only: not in the accessibility tree, not in
  // the tab order (Tab goes from the text straight to the button), not on screen.
  await page.goto(articleUrl);
  assert.equal(await page.locator('input[name="website"]').count(), 1);
  assert.equal(await page.getByRole('textbox', { name: 'Leave this field empty' }).count(), 0);
  await box().focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Post comment');
  const trap = await page.locator('.trap').boundingBox();
  assert.ok(trap === null || trap.x + trap.width <= 0, JSON.stringify(trap));

  // Swearing at nobody: allowed, but the writer is asked first.
  const swearing = 'This fucking budget is a disgrace to the whole city.';
  await box().fill(swearing);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await nudge.waitFor();
  assert.match(await nudge.textContent(), /before you post: this may break rule 4, obscene language/);
  assert.match(await nudge.textContent(), /You may rephrase it/);
  assert.equal(await nudge.getAttribute('role'), 'status');
  assert.equal(await box().inputValue(), swearing);
  assert.equal(await box().getAttribute('aria-describedby'), 'comment-nudge');
  await page.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/nudge.png`, fullPage: false });
  // Rephrased: posted, published.
  await box().fill('This budget is a disgrace to the whole city.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.waitForURL(/#c\d+$/);
  const posted = page.locator('article.comment', { hasText: 'This budget is a disgrace to the whole city.' });
  await posted.waitFor();
  assert.equal(await posted.locator('.held-badge').count(), 0);

  // A suspect phrase: nudged first; sent unchanged, it gets the normal decision (held).
  await page.goto(articleUrl);
  const insult = 'Your days are numbered as a paper if you keep this up.';
  await box().fill(insult);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await nudge.waitFor();
  assert.match(await nudge.textContent(), /rule 1, threats of violence/);
  assert.equal(await box().inputValue(), insult);
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.waitForURL(/#c\d+$/);
  const held = page.locator('article.comment', { hasText: insult });
  await held.waitFor();
  assert.equal(await held.locator('.held-badge').textContent(), 'Awaiting review');

  // axe-core needs JavaScript: the same reader's nudged page, checked in a second context.
  const checking = await browser.newContext({ storageState: await context.storageState() });
  const checked = await checking.newPage();
  await checked.goto(articleUrl);
  await checked.getByLabel(/Your comment, as Nia Writer/).fill('What a fucking mess this budget is.');
  await checked.getByRole('button', { name: 'Post comment' }).click();
  await checked.locator('#comment-nudge').waitFor();
  const violations = await runAxe(checked);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  await checking.close();
  await context.close();
});
