// The accuracy workflow in Chromium: on the seed article a reader selects the
// words of Lavrov's quote and files a report; an editor triages it and publishes
// a bottom correction that changes the sentence; the article shows the notice
// and the new text, the history shows the diff, /corrections and its feed list
// it, and the reader's mailbox (the SMTP sink) has the confirmation and the
// resolution. axe-core checks every page on the way.
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
  });
  server.addUser('ed@example.org', 'Ed Itor', 'editor', 'editor password');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

async function assertAccessible(page, what) {
  const violations = await runAxe(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 2)}`);
}

test('a reader reports the Lavrov quote; an editor corrects the story at the bottom', async () => {
  const readerContext = await browser.newContext();
  const filer = await readerContext.newPage();
  const articleUrl = `${server.url}/articles/${seedSlug}`;

  // The reader: from the article to its accuracy form.
  await filer.goto(articleUrl);
  await filer.getByRole('link', { name: 'accuracy form' }).click();
  await filer.getByRole('heading', { name: 'Accuracy form' }).waitFor();
  await assertAccessible(filer, 'accuracy form');
  await filer.getByLabel('I was quoted in it').check();
  // With JavaScript, selecting the exact words in the paragraph picks both.
  await filer.evaluate(() => {
    const label = document.querySelector('.passage-text[data-anchor="p3"]');
    const text = label.firstChild;
    const start = text.data.indexOf('late Friday');
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, start + 'late Friday'.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  });
  const quote = filer.getByLabel('The exact words (optional)');
  await filer.waitForFunction(() => document.getElementById('f-quote').value === 'late Friday');
  assert.equal(await quote.inputValue(), 'late Friday');
  assert.equal(await filer.locator('#passage-p3').isChecked(), true);
  await filer.getByLabel('What is wrong').fill('Lavrov spoke to reporters on Saturday, not late Friday.');
  await filer.getByLabel('What is right').fill('Foreign Minister Sergei Lavrov told reporters on Saturday.');
  await filer.getByLabel('A link to evidence (optional)').fill('https://example.org/transcript');
  await filer.getByLabel('Your name').fill('Maria Zakharova');
  await filer.getByLabel('Your e-mail address').fill('maria@example.org');
  await filer.getByLabel('The newsroom may contact me about this').check();
  await filer.getByRole('button', { name: 'Send the report' }).click();
  const thanks = filer.getByText(/Your report is case #(\d+)/);
  await thanks.waitFor();
  const caseNumber = (await thanks.textContent()).match(/case #(\d+)/)[1];
  const confirmation = await sink.waitFor('maria@example.org', new RegExp(`Your report is case #${caseNumber}`));
  assert.match(confirmation.subject, /was received/);

  // The editor: log in, triage, then publish the correction with the new text.
  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await editor.goto(`${server.url}/login`);
  await editor.getByLabel('E-mail address').fill('ed@example.org');
  await editor.getByLabel('Password').fill('editor password');
  await editor.getByRole('button', { name: 'Log in' }).click();
  await editor.waitForURL((url) => !url.pathname.startsWith('/login'));
  await editor.goto(`${server.url}/staff/accuracy`);
  await assertAccessible(editor, 'staff case list');
  await editor.getByRole('link', { name: `#${caseNumber}`, exact: true }).click();
  await editor.getByRole('heading', { name: `Accuracy case #${caseNumber}` }).waitFor();
  await editor.getByText('Lavrov spoke to reporters on Saturday, not late Friday.').waitFor();
  await assertAccessible(editor, 'staff case page');
  await editor.getByLabel('New state').selectOption('triaged');
  await editor.getByRole('button', { name: 'Change state' }).click();
  await editor.getByText('The state was changed').waitFor();
  assert.match(await editor.locator('#case-state').textContent(), /triaged/);
  await sink.waitFor('maria@example.org', /is now triaged/);

  await editor.getByLabel('Bottom of the story').check();
  await editor.getByLabel('Notice', { exact: true }).fill('An earlier version of this story misstated when Lavrov spoke to reporters.');
  const body = editor.getByLabel(/Article text/);
  await body.fill((await body.inputValue()).replace('told reporters late Friday', 'told reporters on Saturday'));
  await editor.getByRole('button', { name: 'Publish', exact: true }).click();
  await editor.getByText('The notice was published').waitFor();
  assert.match(await editor.locator('#case-state').textContent(), /resolved: correction/);

  // The article: the dated notice at the bottom and the new sentence. (A fresh
  // visitor: pages may be cached for a minute by browsers that saw them before.)
  await readerContext.close();
  const visitorContext = await browser.newContext();
  const reader = await visitorContext.newPage();
  await reader.goto(articleUrl);
  const notice = reader.locator('.correction-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(),
               /^Correction: An earlier version of this story misstated when Lavrov spoke to reporters\. \(\w+ \d+, \d{4}\)$/);
  assert.equal(await reader.locator('.correction-bottom').count(), 1);
  assert.equal(await reader.locator('.correction-top').count(), 0);
  await reader.getByText('Foreign Minister Sergei Lavrov told reporters on Saturday').waitFor();
  assert.equal(await reader.getByText('told reporters late Friday').count(), 0);
  const ld = JSON.parse(await reader.locator('script[type="application/ld+json"]').textContent());
  assert.equal(ld.correction[0]['@type'], 'CorrectionComment');
  assert.match(ld.correction[0].text, /misstated when Lavrov spoke/);
  await assertAccessible(reader, 'article with a correction');
  await reader.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/accuracy-article.png`, fullPage: true });

  // The history: the word diff between the two revisions.
  await reader.getByRole('link', { name: 'History of this story' }).click();
  await reader.getByRole('heading', { name: /Changes from revision 1 to revision 2/ }).waitFor();
  assert.equal(await reader.locator('.diff del').first().textContent(), 'late Friday ');
  assert.equal(await reader.locator('.diff ins').first().textContent(), 'on Saturday ');
  await assertAccessible(reader, 'history');
  await reader.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/accuracy-history.png`, fullPage: true });

  // /corrections and its feed.
  await reader.goto(`${server.url}/corrections`);
  await reader.getByText('An earlier version of this story misstated when Lavrov spoke to reporters.').waitFor();
  await assertAccessible(reader, 'corrections');
  const feed = await reader.request.get(`${server.url}/corrections/feed.atom`);
  assert.equal(feed.headers()['content-type'], 'application/atom+xml; charset=utf-8');
  assert.match(await feed.text(), /<content type="text">Correction: An earlier version of this story misstated when Lavrov spoke/);

  // The reader's mailbox has the resolution with the notice.
  const resolution = await sink.waitFor('maria@example.org', /is resolved: we published this correction/);
  assert.match(resolution.plain, /misstated when Lavrov spoke to reporters/);
  await visitorContext.close();
  await editorContext.close();
});

test('without JavaScript the reader picks the paragraph, and a missing field keeps what was typed', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}/articles/${seedSlug}/accuracy`);
  await page.getByLabel('Other', { exact: true }).check();
  await page.locator('#passage-p4').check();
  await page.getByLabel('What is right').fill('He said "does not invite".');
  await page.getByLabel('Your name').fill('Ann');
  await page.getByLabel('Your e-mail address').fill('ann@example.org');
  await page.getByRole('button', { name: 'Send the report' }).click();
  await page.getByRole('alert').filter({ hasText: 'What is wrong: please fill this in' }).waitFor();
  assert.equal(await page.getByLabel('What is right').inputValue(), 'He said "does not invite".');
  assert.equal(await page.locator('#passage-p4').isChecked(), true);
  assert.equal(await page.getByLabel('What is wrong').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('What is wrong').fill('The quote is shortened.');
  await page.getByRole('button', { name: 'Send the report' }).click();
  await page.getByText(/Your report is case #\d+/).waitFor();
  await context.close();
});

test('a reader writes to the editors; an editor answers by mail and turns it into a case', async () => {
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await reader.goto(`${server.url}/articles/${seedSlug}`);
  await reader.getByRole('link', { name: 'Send question/comment to the editors' }).click();
  await reader.getByRole('heading', { name: 'Send a question or comment to the editors' }).waitFor();
  await assertAccessible(reader, 'contact form');
  await reader.getByLabel('Your name').fill('Ben Reader');
  await reader.getByLabel('Your e-mail address').fill('ben@example.org');
  await reader.getByLabel('Your message').fill('Where did Lavrov say this? <b>On the plane?</b>');
  await reader.getByRole('button', { name: 'Send to the editors' }).click();
  await reader.getByText('Your message went to the World desk').waitFor();
  await sink.waitFor('editors@masthead.invalid', /A reader wrote to the editors/);

  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await editor.goto(`${server.url}/login`);
  await editor.getByLabel('E-mail address').fill('ed@example.org');
  await editor.getByLabel('Password').fill('editor password');
  await editor.getByRole('button', { name: 'Log in' }).click();
  await editor.waitForURL((url) => !url.pathname.startsWith('/login'));
  await editor.goto(`${server.url}/staff/messages`);
  await assertAccessible(editor, 'staff messages');
  await editor.getByRole('link', { name: /^#\d+$/ }).first().click();
  await editor.getByText('Where did Lavrov say this? <b>On the plane?</b>').waitFor();
  await editor.getByLabel('Answer').fill('On board the plane back from Brussels.');
  await editor.getByRole('button', { name: 'Send the answer' }).click();
  await editor.getByText('Your answer was mailed.').waitFor();
  await editor.locator('.conversation').getByText('On board the plane back from Brussels.').waitFor();
  await assertAccessible(editor, 'staff message');
  const answer = await sink.waitFor('ben@example.org', /On board the plane back from Brussels\./);
  assert.match(answer.plain, /> Where did Lavrov say this\? <b>On the plane\?<\/b>/);

  await editor.getByRole('button', { name: 'Turn into an accuracy case' }).click();
  await editor.getByRole('heading', { name: /Accuracy case #\d+/ }).waitFor();
  await sink.waitFor('ben@example.org', /An editor opened accuracy case #\d+/);
  await readerContext.close();
  await editorContext.close();
});
