// Moderation as people meet it in Chromium: a reader reports a comment from the
// article page, a moderator rejects it from the reported queue with the
// keyboard, and the author's decision mail reaches the SMTP server with the
// rule cited. axe-core checks the report form, the queue and the transparency page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMasthead, startSmtpSink, launchBrowser, runAxe, seedSlug, logIn, commentThroughApi } from './support.mjs';

let sink;
let server;
let browser;

before(async () => {
  sink = await startSmtpSink();
  server = await startMasthead({
    MASTHEAD_MAIL_SMTP_URL: sink.url,
    MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST: 'minimum',
  });
  server.addUser({ email: 'ann@example.org', name: 'Ann Author', role: 'reader', password: 'ann password 1' });
  server.addUser({ email: 'bob@example.org', name: 'Bob Reporter', role: 'reader', password: 'bob password 1' });
  server.addUser({ email: 'mod@example.org', name: 'Mo Derator', role: 'moderator', password: 'mod password 1' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

// Ann posts through the JSON API: this test is about what happens next.
async function annPosts(context, body) {
  const posted = await commentThroughApi(context, server, 'ann@example.org', 'ann password 1', body, 'ann-1');
  assert.equal(posted.status(), 201, await posted.text());
  return (await posted.json()).id;
}

test('a reader reports a comment, a moderator rejects it from the queue, the author is mailed', async () => {
  const annContext = await browser.newContext();
  const id = await annPosts(annContext, 'Cheap watches at my shop today, best prices in town, visit now!');

  const bobContext = await browser.newContext();
  const bob = await logIn(bobContext, server, 'bob@example.org', 'bob password 1');
  await bob.goto(`${server.url}/articles/${seedSlug}`);
  await bob.locator(`#c${id}`).getByRole('link', { name: 'Report' }).click();
  await bob.getByRole('heading', { name: 'Report a comment' }).waitFor();
  assert.deepEqual(await runAxe(bob), []);
  await bob.getByLabel('Spam').check();
  await bob.getByRole('button', { name: 'Send the report' }).click();
  await bob.getByText('Thank you: a moderator will look at this comment').waitFor();

  const modContext = await browser.newContext();
  const mod = await logIn(modContext, server, 'mod@example.org', 'mod password 1');
  await mod.goto(`${server.url}/staff/moderation?queue=reported`);
  const item = mod.locator(`#q${id}`);
  await item.getByText('Cheap watches at my shop today').waitFor();
  await item.getByText('1 open report(s)').waitFor();
  const violations = await runAxe(mod);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
  await item.getByLabel('Rule broken').selectOption('spam');
  // The keyboard: j focuses the first item, r rejects it with the rule chosen.
  await mod.locator('h1').click();
  await mod.keyboard.press('j');
  await mod.keyboard.press('r');
  await mod.getByText('Done. The next comment is below.').waitFor();
  assert.equal(await mod.locator(`#q${id}`).count(), 0);

  await mod.goto(`${server.url}/staff/moderation/log`);
  await mod.getByRole('cell', { name: 'rule 8, spam' }).first().waitFor();

  const mail = await sink.waitFor('ann@example.org', /rule 8, spam/);
  assert.match(mail.subject, /A moderation decision about your comment: rejected/);

  const anonymous = await browser.newPage();
  await anonymous.goto(`${server.url}/articles/${seedSlug}`);
  assert.equal(await anonymous.getByText('Cheap watches at my shop').count(), 0);
  await anonymous.goto(`${server.url}/transparency`);
  await anonymous.getByRole('cell', { name: '1' }).first().waitFor();
  assert.deepEqual(await runAxe(anonymous), []);
  await anonymous.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/transparency.png`, fullPage: true });
  await anonymous.close();
  await annContext.close();
  await bobContext.close();
  await modContext.close();
});
