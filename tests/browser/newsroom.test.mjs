// A moderator's day in Chromium: log in, open the newsroom inbox, claim the
// held comment, follow it to the moderation queue and reject it, and see the
// dashboard's chart change. A reader then downloads their data from their
// settings and asks for their account's deletion. axe-core checks the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startMasthead, launchBrowser, runAxe, logIn, commentThroughApi } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await startMasthead({
    MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST: 'minimum',
    // A new reader's first comment waits for a moderator: the inbox has work.
    MASTHEAD_MODERATION_PREMODERATE_FIRST_COMMENTS: '1',
  });
  server.addUser({ email: 'ann@example.org', name: 'Ann Author', role: 'reader', password: 'ann password 1' });
  server.addUser({ email: 'mod@example.org', name: 'Mo Derator', role: 'moderator', password: 'mod password 1' });
  server.addUser({ email: 'max@example.org', name: 'Max Moderator', role: 'moderator', password: 'max password 1' });
  server.addUser({ email: 'ed@example.org', name: 'Ed Itor', role: 'editor', password: 'ed password 1' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Ann posts through the JSON API: this test is about what the newsroom does next.
async function annPosts(context, body) {
  const posted = await commentThroughApi(context, server, 'ann@example.org', 'ann password 1', body, 'ann-1');
  assert.ok(posted.status() === 201 || posted.status() === 202, await posted.text());
  return (await posted.json()).id;
}

async function barValue(page, chart, labelStart) {
  return page.locator(`#${chart} [data-label^="${labelStart}"]`).getAttribute('data-value');
}

test("a moderator's day: inbox, claim, decision, dashboard", async () => {
  const annContext = await browser.newContext();
  const id = await annPosts(annContext, 'Cheap watches at my shop today, best prices in town, visit now!');

  // An editor gives the World section to the World desk; the Local desk gets Local.
  const edContext = await browser.newContext();
  const ed = await logIn(edContext, server, 'ed@example.org', 'ed password 1');
  for (const desk of ['World desk', 'Local desk']) {
    await ed.goto(`${server.url}/staff/sections`);
    await ed.locator('#nd-name').fill(desk);
    await ed.getByRole('button', { name: 'Add the desk' }).click();
    await ed.getByRole('form', { name: `Desk ${desk}` }).waitFor();
  }
  for (const [section, desk] of [['World', 'World desk'], ['Local', 'Local desk']]) {
    const row = ed.getByRole('form', { name: `Section ${section}` });
    await row.getByLabel('Desk').selectOption({ label: desk });
    await row.getByRole('button', { name: 'Save' }).click();
    await ed.getByRole('form', { name: `Desk ${desk}` }).getByText(`Sections: ${section.toLowerCase()}`).waitFor();
  }
  await edContext.close();

  const modContext = await browser.newContext();
  const mod = await logIn(modContext, server, 'mod@example.org', 'mod password 1');
  await mod.goto(`${server.url}/staff/dashboard`);
  assert.equal(await barValue(mod, 'chart-held-rejected', 'Rejected'), '0');
  assert.equal(await barValue(mod, 'chart-held-rejected', 'Held'), '1');
  assert.deepEqual(await runAxe(mod), []);

  await mod.goto(`${server.url}/staff`);
  await mod.getByRole('heading', { name: 'Newsroom inbox' }).waitFor();
  const item = mod.locator(`#item-held-${id}`);
  await item.getByText('Cheap watches at my shop today').waitFor();
  await item.getByText(/answer within/).waitFor();
  assert.equal(await mod.locator('#summary-held .waiting').textContent(), '1');
  assert.deepEqual(await runAxe(mod), []);

  // The desk filter: the Local desk has nothing of this; the World desk (the
  // seed article's section) has the comment, and keeps the choice in the address.
  await mod.getByLabel('Desk').selectOption({ label: 'Local desk' });
  await mod.getByRole('button', { name: 'Show', exact: true }).click();
  await mod.getByText('Nothing waits here.').waitFor();
  assert.equal(await mod.locator('#summary-held .waiting').textContent(), '0');
  await mod.getByLabel('Desk').selectOption({ label: 'World desk' });
  await mod.getByRole('button', { name: 'Show', exact: true }).click();
  await mod.waitForURL((url) => url.searchParams.get('desk') === 'world-desk');
  await item.getByText('Cheap watches at my shop today').waitFor();
  assert.equal(await mod.locator('#summary-held .waiting').textContent(), '1');
  assert.equal(await mod.getByLabel('Desk').inputValue(), 'world-desk');
  assert.deepEqual(await runAxe(mod), []);
  await item.getByRole('button', { name: /^Claim/ }).click();
  await mod.getByText('Claimed: the others see that you are working on it.').waitFor();
  assert.equal(new URL(mod.url()).searchParams.get('desk'), 'world-desk');
  await mod.locator(`#item-held-${id}`).getByText('Claimed by you').waitFor();

  // The other moderator sees the claim and has no button to take the item.
  const maxContext = await browser.newContext();
  const max = await logIn(maxContext, server, 'max@example.org', 'max password 1');
  await max.goto(`${server.url}/staff/inbox`);
  await max.locator(`#item-held-${id}`).getByText('Claimed by Mo Derator').waitFor();
  assert.equal(await max.locator(`#item-held-${id}`).getByRole('button', { name: /^Claim/ }).count(), 0);

  // The item's link leads to the moderation queue, where it is decided.
  await mod.locator(`#item-held-${id}`).getByRole('link', { name: /Comment by Ann Author/ }).click();
  await mod.waitForURL((url) => url.pathname === '/staff/moderation');
  const queued = mod.locator(`#q${id}`);
  await queued.getByLabel('Rule broken').selectOption('spam');
  await queued.getByRole('button', { name: 'Reject' }).click();
  await mod.getByText('Done. The next comment is below.').waitFor();

  await mod.goto(`${server.url}/staff/dashboard`);
  assert.equal(await barValue(mod, 'chart-held-rejected', 'Rejected'), '1');
  assert.equal(await barValue(mod, 'chart-held-rejected', 'Held'), '0');
  assert.equal(await barValue(mod, 'chart-first-decision', 'under 15 min'), '1');
  assert.match(await mod.locator('#chart-rejection-reasons desc').textContent(), /rule 8, spam: 1 rejections/);
  await mod.screenshot({ path: `${process.env.SCREENSHOT_DIR || '.'}/dashboard.png`, fullPage: true });

  await mod.goto(`${server.url}/staff/inbox`);
  assert.equal(await mod.locator(`#item-held-${id}`).count(), 0);
  assert.equal(await mod.locator('#summary-held .waiting').textContent(), '0');

  // The author's history on the users desk shows the decision.
  await mod.goto(`${server.url}/staff/users`);
  await mod.getByLabel('Name or e-mail address').fill('ann');
  await mod.getByRole('button', { name: 'Search' }).last().click();
  await mod.getByRole('link', { name: 'Ann Author' }).click();
  await mod.locator('#user-comments').getByRole('cell', { name: 'rejected' }).waitFor();
  assert.deepEqual(await runAxe(mod), []);
  await annContext.close();
  await modContext.close();
  await maxContext.close();
});

test('a reader downloads their data and asks for the deletion of their account', async () => {
  const context = await browser.newContext();
  const ann = await logIn(context, server, 'ann@example.org', 'ann password 1');
  await ann.goto(`${server.url}/account`);
  await ann.getByRole('link', { name: /Your data/ }).click();
  await ann.getByRole('heading', { name: 'Your data' }).waitFor();
  assert.deepEqual(await runAxe(ann), []);
  const [download] = await Promise.all([
    ann.waitForEvent('download'),
    ann.getByRole('button', { name: 'Download my data' }).click(),
  ]);
  const archive = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(archive.account.email, 'ann@example.org');
  assert.match(archive.comments[0].body_markdown, /Cheap watches/);

  await ann.getByLabel('Your password, to confirm').fill('ann password 1');
  await ann.getByRole('button', { name: 'Delete my account' }).click();
  await ann.getByRole('heading', { name: 'Your account will be deleted' }).waitFor();
  assert.deepEqual(await runAxe(ann), []);
  await ann.goto(`${server.url}/account`);
  await ann.waitForURL((url) => url.pathname.startsWith('/login'));

  // Logging in within the grace period keeps the account.
  const again = await logIn(await browser.newContext(), server, 'ann@example.org', 'ann password 1');
  await again.goto(`${server.url}/account/data`);
  await again.getByRole('button', { name: 'Delete my account' }).waitFor();
  await context.close();
});
