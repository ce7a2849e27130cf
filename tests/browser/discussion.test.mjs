// The Further Discussion as two readers meet it in Chromium: one registers,
// confirms by the mail the SMTP server received, accepts the terms, comments
// and replies; the other watches the comment arrive live. axe-core checks the
// page with 200 comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMasthead, startSmtpSink, launchBrowser, runAxe, seedSlug } from './support.mjs';

let sink;
let server;
let browser;

before(async () => {
  sink = await startSmtpSink();
  server = await startMasthead({
    MASTHEAD_MAIL_SMTP_URL: sink.url,
    MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST: 'minimum',
    MASTHEAD_DISCUSSION_POSTS_PER_MINUTE: "1000",
    // A script posts 200 comments from one address, as fast as it can.
    MASTHEAD_DISCUSSION_NETWORK_POSTS_PER_MINUTE: "1000",
    MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT: "0",
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

test('a reader registers, confirms by mail, accepts the terms, comments and replies; another sees it live', async () => {
  const writer = await browser.newContext();
  const watcher = await browser.newContext();
  const page = await writer.newPage();
  const watching = await watcher.newPage();
  const articleUrl = `${server.url}/articles/${seedSlug}`;

  await page.goto(`${server.url}/register`);
  await page.getByLabel('E-mail address').fill('ann@example.org');
  await page.getByLabel('Name shown with your comments').fill('Ann Reader');
  await page.getByLabel('Password').fill('a long password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('Check your mail').waitFor();

  const mail = await sink.waitFor('ann@example.org', /account\/confirm\?token=/);
  assert.match(mail.subject, /Confirm your e-mail address/);
  const link = mail.plain.match(/(http:\/\/\S+\/account\/confirm\?token=[A-Za-z0-9_-]+)/)[1];
  await page.goto(link.replace(/^http:\/\/[^/]+/, server.url));
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('Address confirmed').waitFor();

  await watching.goto(articleUrl);
  await page.goto(articleUrl);
  await page.getByLabel(/Your comment, as Ann Reader/).fill('The minister is clear: no safe haven in Moscow.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  // First comment: the terms come first, and the text is carried through.
  await page.getByText('Before you post: our Terms of Use').waitFor();
  await page.getByLabel(/I have read and accept/).check();
  await page.getByRole('button', { name: 'Accept and continue' }).click();
  assert.equal(await page.getByLabel('Your comment').inputValue(), 'The minister is clear: no safe haven in Moscow.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.waitForURL(/#c\d+$/);
  await page.getByText('The minister is clear: no safe haven in Moscow.').waitFor();

  // The watcher's page did not move: the comment waits behind a button.
  const showNew = watching.getByRole('button', { name: /Show 1 new comments/ });
  await showNew.waitFor({ timeout: 15000 });
  assert.equal(await watching.getByText('The minister is clear').count(), 0);
  await showNew.click();
  await watching.getByText('The minister is clear: no safe haven in Moscow.').waitFor();

  await page.getByRole('link', { name: 'Reply' }).first().click();
  await page.getByLabel(/Your comment, as Ann Reader/).fill('And Brahimi is expected in Moscow before the new year.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.waitForURL(/#c\d+$/);
  const reply = page.locator('ol.replies').getByText('And Brahimi is expected');
  await reply.waitFor();
  await page.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/discussion.png`, fullPage: true });
  await writer.close();
  await watcher.close();
});

test('the article page with 200 comments has no axe-core violations', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A second reader, made through the JSON API this time.
  const api = context.request;
  let session = await (await api.get(`${server.url}/api/v1/session`)).json();
  const registered = await api.post(`${server.url}/api/v1/accounts`, {
    headers: { 'X-CSRF-Token': session.csrf },
    data: { email: 'bob@example.org', display_name: 'Bob Reader', password: 'a long password' },
  });
  assert.equal(registered.status(), 201);
  const mail = await sink.waitFor('bob@example.org', /account\/confirm\?token=/);
  const token = mail.plain.match(/token=([A-Za-z0-9_-]+)/)[1];
  await page.goto(`${server.url}/account/confirm?token=${token}`);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('Address confirmed').waitFor();
  session = await (await api.post(`${server.url}/api/v1/session`, {
    headers: { 'X-CSRF-Token': session.csrf }, data: { email: 'bob@example.org', password: 'a long password' },
  })).json();
  const terms = await (await api.get(`${server.url}/api/v1/terms`)).json();
  assert.equal((await api.post(`${server.url}/api/v1/terms/acceptances`, {
    headers: { 'X-CSRF-Token': session.csrf },
    data: { terms_version: terms.terms.version, guidelines_version: terms.guidelines.version },
  })).status(), 200);
  let parent = null;
  for (let i = 0; i < 200; i++) {
    const response = await api.post(`${server.url}/api/v1/articles/${seedSlug}/comments`, {
      headers: { 'X-CSRF-Token': session.csrf },
      data: { body: `Comment number ${i} about the talks in Moscow.`, idempotency_key: `bulk-${i}`,
              ...(i % 4 === 3 && parent ? { parent_id: parent } : {}) },
    });
    assert.equal(response.status(), 201, await response.text());
    if (i % 4 === 0) parent = (await response.json()).id;
  }
  await page.goto(`${server.url}/articles/${seedSlug}`);
  assert.ok(await page.locator('article.comment').count() >= 20);
  const violations = await runAxe(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  const anonymous = await browser.newPage();
  await anonymous.goto(`${server.url}/articles/${seedSlug}?order=newest`);
  assert.deepEqual(await runAxe(anonymous), []);
  await anonymous.close();
  await context.close();
});
