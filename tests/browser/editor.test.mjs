// An editor's day in Chromium: log in, write an article with a preview, publish
// it, find it on the front page as a reader, unpublish it with a note and see the
// note at its address. axe-core checks the editor's pages on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMasthead, launchBrowser, runAxe } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startMasthead({ MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST: 'minimum' });
  server.addUser('ed@example.org', 'Ed Itor', 'editor', 'editor password');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function assertAccessible(page, what) {
  const violations = await runAxe(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 2)}`);
}

test('an editor writes, previews, publishes and unpublishes an article', async () => {
  const context = await browser.newContext();
  const editor = await context.newPage();
  await editor.goto(`${server.url}/login`);
  await editor.getByLabel('E-mail address').fill('ed@example.org');
  await editor.getByLabel('Password').fill('editor password');
  await editor.getByRole('button', { name: 'Log in' }).click();
  await editor.waitForURL((url) => !url.pathname.startsWith('/login'));

  await editor.goto(`${server.url}/staff/articles`);
  await editor.getByRole('heading', { name: 'Articles' }).waitFor();
  await assertAccessible(editor, 'article list');
  await editor.getByRole('link', { name: 'Write a new article' }).click();
  await editor.getByRole('heading', { name: 'New article' }).waitFor();
  await assertAccessible(editor, 'new article form');

  await editor.getByLabel('Headline', { exact: true }).fill('Night ferry returns to the islands');
  await editor.getByLabel('Deck (subheadline, optional)').fill('The service stopped in 2019; it runs three times a week');
  await editor.getByLabel('Byline (staff author; a credit or a byline is needed)').fill('Ana Pereira');
  await editor.getByLabel('Dateline (place, e.g. MOSCOW; optional)').fill('PONTA DELGADA');
  await editor.getByLabel('Section', { exact: true }).selectOption({ label: 'World' });
  await editor.getByLabel('Text (Markdown)').fill(
    'The night ferry is *back* after five years.\n\nTickets go on sale on **Monday**.\n\n<script>alert(1)</script>');
  await editor.getByLabel('Publish on the date below (a future date schedules it)').check();

  // Preview: the article as readers will see it, the form kept, nothing saved.
  await editor.getByRole('button', { name: 'Preview' }).click();
  const preview = editor.locator('#preview-body');
  await preview.waitFor();
  assert.match(await preview.innerHTML(), /<em>back<\/em>/);
  assert.match(await preview.innerText(), /^PONTA DELGADA -/);
  assert.equal(await editor.locator('#preview-body script').count(), 0);
  assert.equal(await editor.getByLabel('Headline', { exact: true }).inputValue(), 'Night ferry returns to the islands');
  await assertAccessible(editor, 'preview');
  await editor.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/editor-preview.png`, fullPage: true });
  // Readers are new visitors each time: pages may be cached by a browser for a minute.
  const newReader = async () => (await browser.newContext()).newPage();
  let reader = await newReader();
  await reader.goto(server.url);
  assert.equal(await reader.getByText('Night ferry returns to the islands').count(), 0);

  // Publish now.
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.getByText('Published. It is on the site now.').waitFor();
  await assertAccessible(editor, 'saved article');

  // A reader finds it on the front page and reads it.
  reader = await newReader();
  await reader.goto(server.url);
  await reader.getByRole('link', { name: 'Night ferry returns to the islands' }).click();
  await reader.getByRole('heading', { name: 'Night ferry returns to the islands', level: 1 }).waitFor();
  assert.match(await reader.locator('.byline').innerText(), /Ana Pereira/);
  assert.match(await reader.locator('.deck').innerText(), /three times a week/);
  const articleUrl = reader.url();

  // Unpublish with a note: the address shows the note, not a 404.
  await editor.getByLabel("Editor's note readers will see at the article's address")
    .fill('This article was withdrawn: the ferry operator postponed the service.');
  await editor.getByRole('button', { name: 'Unpublish' }).click();
  await editor.getByText('Unpublished. Readers at its address see your note.').waitFor();

  reader = await newReader();
  const response = await reader.goto(articleUrl);
  assert.equal(response.status(), 410);
  await reader.getByRole('heading', { name: 'This article is no longer available' }).waitFor();
  assert.match(await reader.locator('#editors-note').innerText(), /the ferry operator postponed the service/);
  await assertAccessible(reader, 'editor\'s note');
  await reader.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/editor-withdrawn.png`, fullPage: true });
  reader = await newReader();
  await reader.goto(server.url);
  assert.equal(await reader.getByText('Night ferry returns to the islands').count(), 0);

  // The editor's list shows it as unpublished.
  await editor.goto(`${server.url}/staff/articles?state=withdrawn`);
  await editor.getByRole('link', { name: 'Night ferry returns to the islands' }).waitFor();
  await context.close();
});
