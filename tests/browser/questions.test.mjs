// Reader questions in Chromium, end to end: two readers ask (one asks what the
// other asked already), a third votes; an editor merges the duplicate, answers
// one question on the page and links the other to a follow-up story that
// `masthead import` publishes later. The pages show the pinned answer and the
// follow-up links both ways, and the real SMTP server received every
// notification exactly once. axe-core checks the questions page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMasthead, startSmtpSink, launchBrowser, runAxe, becomeReader, seedSlug } from './support.mjs';

let sink;
let server;
let browser;
let scratch;

before(async () => {
  sink = await startSmtpSink();
  server = await startMasthead({
    MASTHEAD_MAIL_SMTP_URL: sink.url,
    MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST: 'minimum',
    MASTHEAD_DISCUSSION_MIN_SECONDS_TO_SUBMIT: '0',
    MASTHEAD_QUESTIONS_FOLLOWUP_CHECK_SECONDS: '1',
  });
  browser = await launchBrowser();
  scratch = mkdtempSync(join(tmpdir(), 'masthead-questions-'));
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// `masthead import` of the follow-up story, as the newsroom publishes: a draft
// first (published empty), later the same slug with a publication date.
function importFollowUp(published) {
  const file = join(scratch, `followup-${published ? 'published' : 'draft'}.md`);
  writeFileSync(file, ['---', 'slug: syria-refugees-where-next', 'section: world',
                       'headline: Where the refugees from Homs go next', 'credit: The Associated Press',
                       `published: ${published}`, '---',
                       'Aid groups say most families have moved to camps near the border.', ''].join('\n'));
  return execFileSync(process.env.MASTHEAD_BIN, ['import', '--db', server.db, file],
                      { env: { ...process.env, MASTHEAD_LOG_ACCESS_LOG: 'false' } }).toString();
}

async function ask(page, text) {
  await page.goto(`${server.url}/articles/${seedSlug}/questions`);
  await page.getByLabel(/Your question, as/).fill(text);
  await page.getByRole('button', { name: 'Ask the newsroom' }).click();
  await page.waitForURL(/#q\d+$/);
  await page.getByText(text).waitFor();
  return Number(page.url().match(/#q(\d+)$/)[1]);
}

// Every message the sink received to `address` whose subject matches.
function received(address, subject) {
  return sink.received().filter((m) => JSON.stringify(m.rcpt_tos).includes(address) && subject.test(m.subject || ''));
}

test('readers ask and vote; an editor merges, answers on the page and in a follow-up; every mail once', async () => {
  const readers = {};
  for (const [key, email, name] of [['ann', 'ann@example.org', 'Ann'], ['bob', 'bob@example.org', 'Bob'],
                                    ['cat', 'cat@example.org', 'Cat']]) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await becomeReader(page, server, sink, email, name);
    readers[key] = page;
  }
  const questionsUrl = `${server.url}/articles/${seedSlug}/questions`;

  // Two readers ask; Bob's question is Ann's first one again.
  const evacuated = await ask(readers.ann, 'How many people were evacuated from Homs?');
  const asylum = await ask(readers.ann, 'Where will the families who left Homs go now?');
  const duplicate = await ask(readers.bob, 'Do we know how many people had to leave Homs?');

  // A third votes for the duplicate and for the other question, once each.
  const cat = readers.cat;
  await cat.goto(`${questionsUrl}?tab=unanswered&order=oldest`);
  for (const id of [duplicate, asylum]) {
    await cat.locator(`#q${id}`).getByRole('button', { name: 'Vote for this question' }).click();
    await cat.waitForURL(new RegExp(`#q${id}$`));
  }
  assert.equal(await cat.locator(`#q${duplicate} .vote-count`).textContent(), '1');
  assert.equal(await cat.locator(`#q${duplicate}`).getByRole('button', { name: /Voted/ }).getAttribute('aria-pressed'), 'true');

  // The editor.
  server.addUser({ email: 'ed@example.org', name: 'Ed Itor', role: 'editor', password: 'editor password' });
  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await editor.goto(`${server.url}/login`);
  await editor.getByLabel('E-mail address').fill('ed@example.org');
  await editor.getByLabel('Password').fill('editor password');
  await editor.getByRole('button', { name: 'Log in' }).click();
  await editor.waitForURL((url) => !url.pathname.startsWith('/login'));

  // The staff queue lists all three, oldest first.
  await editor.goto(`${server.url}/staff/questions`);
  assert.equal(await editor.locator('#questions-queue tbody tr').count(), 3);

  // Merge the duplicate into Ann's question: Cat's vote and Bob's asking carry over.
  await editor.goto(`${questionsUrl}?tab=unanswered&order=oldest`);
  const dup = editor.locator(`#q${duplicate}`);
  await dup.getByText('Merge as a duplicate').click();
  await dup.getByLabel('The question this one duplicates').selectOption(String(evacuated));
  await dup.getByRole('button', { name: /Merge/ }).click();
  await editor.waitForURL(new RegExp(`#q${evacuated}$`));
  assert.equal(await editor.locator(`#q${evacuated} .vote-count`).textContent(), '2');
  assert.equal(await editor.locator(`#q${duplicate}`).count(), 0);

  // An "Open questions" line for the article.
  await editor.getByText('Editors: the “Open questions” box and experts').click();
  await editor.getByLabel('Add an open question').fill('Who ordered the evacuation of Homs?');
  await editor.getByRole('button', { name: 'Add to the box' }).click();
  await editor.waitForURL(/#open-questions$/);

  // Answer Ann's question on the page.
  const answered = editor.locator(`#q${evacuated}`);
  await answered.getByText('Answer on the page').click();
  await answered.getByLabel('The newsroom’s answer').fill('About **4,000** people, according to the Red Crescent.');
  await answered.getByRole('button', { name: 'Publish the answer' }).click();
  await editor.waitForURL(new RegExp(`tab=answered#q${evacuated}$`));

  // The follow-up story exists as a draft; link the other question to it.
  assert.match(importFollowUp(''), /1 article\(s\) created/);
  await editor.goto(`${questionsUrl}?tab=unanswered`);
  const other = editor.locator(`#q${asylum}`);
  await other.getByText('Answer in a follow-up story').click();
  await other.getByLabel(/Address \(slug\) of the follow-up article/).fill('syria-refugees-where-next');
  await other.getByRole('button', { name: 'Link to the follow-up' }).click();
  await editor.waitForURL(new RegExp(`#q${asylum}$`));
  await editor.getByText('A follow-up story is being prepared').waitFor();

  // Published by import: the CLI queues the mail, the server delivers it.
  const published = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  assert.match(importFollowUp(published), /mail queued about 1 reader question/);

  // What readers see: the pinned answer, and the follow-up linked both ways.
  const ann = readers.ann;
  await ann.goto(`${questionsUrl}?tab=answered`);
  const pinned = ann.locator(`#q${evacuated} .newsroom-answer`);
  await pinned.getByText('Newsroom', { exact: true }).waitFor();
  assert.equal(await pinned.locator('strong', { hasText: '4,000' }).count(), 1);
  await ann.locator(`#q${asylum}`).getByRole('link', { name: 'Where the refugees from Homs go next' }).waitFor();
  await ann.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/questions.png`, fullPage: true });
  assert.deepEqual(await runAxe(ann), []);

  await ann.goto(`${server.url}/articles/${seedSlug}`);
  await ann.locator('.followup-note', { hasText: 'Follow-up:' })
    .getByRole('link', { name: 'Where the refugees from Homs go next' }).waitFor();
  await ann.locator('.open-questions').getByText('Who ordered the evacuation of Homs?').waitFor();
  await ann.locator('.followup-note', { hasText: 'Follow-up:' }).getByRole('link').click();
  await ann.waitForURL(/\/articles\/syria-refugees-where-next$/);
  await ann.locator('.followup-note', { hasText: 'This story follows up on:' })
    .getByRole('link', { name: /Russia won't give Assad safe haven/ }).click();
  await ann.waitForURL(new RegExp(`/articles/${seedSlug}$`));

  // The editor's view with every staff tool passes axe too.
  await editor.goto(`${questionsUrl}?tab=all`);
  assert.deepEqual(await runAxe(editor), []);

  // Mail: the answer to the asker, the merged duplicate's asker and the voter;
  // the follow-up to the other question's asker and voter; each exactly once.
  await sink.waitFor('bob@example.org', /according to the Red Crescent/);
  await sink.waitFor('cat@example.org', /refugees-where-next/);
  await sink.waitFor('ann@example.org', /refugees-where-next/);
  // Several more checks of the server run meanwhile: none may mail again.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  for (const address of ['ann@example.org', 'bob@example.org', 'cat@example.org']) {
    assert.equal(received(address, /was answered/).length, 1, `answer mail to ${address}`);
  }
  for (const address of ['ann@example.org', 'cat@example.org']) {
    assert.equal(received(address, /follow-up story/).length, 1, `follow-up mail to ${address}`);
  }
  assert.equal(received('bob@example.org', /follow-up story/).length, 0);
  assert.equal(received('ed@example.org', /./).length, 0);
  const answerMail = received('cat@example.org', /was answered/)[0];
  assert.match(answerMail.plain, /How many people were evacuated from Homs\?/);
  assert.match(answerMail.plain, new RegExp(`/articles/${seedSlug}/questions`));
});
