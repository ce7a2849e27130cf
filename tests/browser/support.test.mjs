// "What is my browser?" in Chromium: it must report Chromium on Linux with the
// version the browser itself reports, fill in what only the browser knows, and
// have no axe-core violations. Then a technical-problem report from an article:
// the environment filled in, the ticket in the staff queue and at the SMTP server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMasthead, startSmtpSink, launchBrowser, runAxe, seedSlug } from './support.mjs';

const desk = 'desk@support.example.org';
let sink;
let server;
let browser;

before(async () => {
  sink = await startSmtpSink();
  server = await startMasthead({
    MASTHEAD_MAIL_SMTP_URL: sink.url,
    MASTHEAD_MAIL_SUPPORT_DESK: desk,
    MASTHEAD_ACCOUNTS_PASSWORD_HASH_COST: 'minimum',
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
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

test('a reader reports a technical problem from an article; staff find it in the queue and mail', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/articles/${seedSlug}`);
  await page.getByRole('link', { name: 'report a technical problem' }).click();
  await page.waitForURL(`**/support/report?article=${seedSlug}`);
  // Detection needs the rules, which compile in the background after start.
  for (let i = 0; i < 100 && (await page.inputValue('#f-os')) === ''; i++) {
    await page.waitForTimeout(100);
    await page.reload();
  }
  const ua = await page.evaluate(() => navigator.userAgent);
  const major = ua.match(/Chrome\/(\d+)/)[1];
  const browserField = await page.getByLabel('Browser and version').inputValue();
  assert.match(browserField, /Chrom/, browserField);
  assert.ok(browserField.includes(major), `${browserField} should carry version ${major}`);
  assert.match(await page.getByLabel('Operating system and version').inputValue(), /Linux/);
  // Filled by browser.js: only the browser knows these.
  assert.match(await page.getByLabel('Screen size').inputValue(), /\d+ × \d+/);
  assert.match(await page.getByLabel('Window size').inputValue(), /\d+ × \d+/);
  assert.match(await page.getByLabel('Time zone').inputValue(), /\w/);
  assert.ok((await page.textContent('#support-report')).includes('About the article'));
  assert.deepEqual(await runAxe(page), []);

  await page.getByLabel('What went wrong?').fill('The photo gallery stays grey. <b>not bold</b>');
  await page.getByLabel('What did you do just before?').fill('Scrolled to the gallery and waited.');
  await page.getByLabel('Your e-mail address (optional)').fill('reporter@example.org');
  await page.getByLabel('Type of computer or mobile device').fill('desktop (my own corrected words)');
  await page.getByRole('button', { name: 'Send the report' }).click();
  await page.waitForURL(/\/support\/report\/sent\?ticket=\d+$/);
  const number = page.url().match(/ticket=(\d+)$/)[1];
  assert.ok((await page.textContent('h1')).includes(`ticket #${number}`));
  assert.deepEqual(await runAxe(page), []);

  const deskMail = await sink.waitFor(desk, new RegExp(`ticket #${number}`));
  assert.match(deskMail.subject, new RegExp(`Technical problem #${number}: The photo gallery stays grey`));
  assert.ok(deskMail.plain.includes(`User-Agent: ${ua}`), deskMail.plain);
  assert.ok(deskMail.plain.includes('Device: desktop (my own corrected words)'));
  const receipt = await sink.waitFor('reporter@example.org', new RegExp(`ticket #${number}`));
  assert.match(receipt.subject, /We received your report/);

  await server.addUser('support@example.org', 'Sam Support', 'moderator', 'a long staff password');
  const staffContext = await browser.newContext();
  const staff = await staffContext.newPage();
  await staff.goto(`${server.url}/login`);
  await staff.getByLabel('E-mail address').fill('support@example.org');
  await staff.getByLabel('Password').fill('a long staff password');
  await staff.getByRole('button', { name: 'Log in' }).click();
  await staff.waitForURL((url) => !url.pathname.startsWith('/login'));
  await staff.goto(`${server.url}/staff/support`);
  assert.deepEqual(await runAxe(staff), []);
  await staff.getByRole('link', { name: `#${number}` }).click();
  await staff.waitForURL(`**/staff/support/${number}`);
  assert.equal(await staff.textContent('#ticket-user-agent'), ua);
  assert.ok((await staff.textContent('#ticket-problem')).includes('<b>not bold</b>'));  // shown as text
  assert.equal(await staff.locator('#ticket-problem b').count(), 0);
  assert.deepEqual(await runAxe(staff), []);
  await staff.getByRole('button', { name: 'Close the ticket' }).click();
  await staff.getByRole('heading', { name: `Ticket #${number} (closed)` }).waitFor();
  await staff.goto(`${server.url}/staff/support?status=closed`);
  assert.equal(await staff.getByRole('link', { name: `#${number}` }).count(), 1);
  await context.close();
  await staffContext.close();
});
