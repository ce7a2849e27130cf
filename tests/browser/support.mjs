// Starts a real `masthead serve` on a free port with a fresh SQLite file and the
// demo content, and a headless Debian Chromium driven by playwright-core.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const seedSlug = 'russia-wont-give-assad-safe-haven-foreign-minister-says';

// The real SMTP server of the test suite (aiosmtpd), on a free port.
export async function startSmtpSink() {
  const dir = mkdtempSync(join(tmpdir(), 'masthead-sink-'));
  const portFile = join(dir, 'port');
  const outDir = join(dir, 'out');
  const script = new URL('../support/smtp_sink.py', import.meta.url).pathname;
  const child = spawn('/usr/bin/python3', [script, '--port-file', portFile, '--out-dir', outDir],
                      { stdio: 'ignore' });
  for (let i = 0; i < 3000; i++) {
    if (existsSync(portFile) && readFileSync(portFile, 'utf8').trim()) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const port = readFileSync(portFile, 'utf8').trim();
  return {
    url: `smtp://127.0.0.1:${port}`,
    received() {
      if (!existsSync(outDir)) return [];
      return readdirSync(outDir).filter((f) => f.endsWith('.json')).sort()
        .map((f) => JSON.parse(readFileSync(join(outDir, f), 'utf8')));
    },
    // Waits (bounded) for a message to `address` whose text matches `pattern`.
    async waitFor(address, pattern) {
      for (let i = 0; i < 1500; i++) {
        const found = this.received().find((m) => JSON.stringify(m.rcpt_tos).includes(address) &&
                                                  pattern.test(m.plain || ''));
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no mail to ${address} matching ${pattern}`);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startMasthead(extraEnv = {}) {
  const binary = process.env.MASTHEAD_BIN;
  if (!binary) throw new Error('MASTHEAD_BIN must name the masthead binary');
  const dir = mkdtempSync(join(tmpdir(), 'masthead-browser-'));
  const env = { ...process.env, MASTHEAD_LOG_ACCESS_LOG: 'false', MASTHEAD_MAIL_MAILDIR: join(dir, 'maildir'),
                ...extraEnv };
  const db = join(dir, 'site.db');
  const child = spawn(binary, ['serve', '--demo', '--db', db, '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
  // Wait for the line that names the port: a condition, not a duration.
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    child.stderr.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/serving (http:\/\/[^/\s]+)\//);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`masthead exited with ${code}: ${seen}`)));
  });
  return {
    url,
    db,
    // A confirmed account made with `masthead user add`, as an administrator would:
    // addUser({ email, name, role, password }) or addUser(email, name, role, password).
    addUser(emailOrUser, name, role, password) {
      const user = typeof emailOrUser === 'object' ? emailOrUser : { email: emailOrUser, name, role, password };
      const passwordFile = join(dir, `password-${user.email}`);
      writeFileSync(passwordFile, `${user.password}\n`);
      execFileSync(binary, ['user', 'add', '--db', db, '--email', user.email, '--name', user.name, '--role', user.role,
                            '--password-file', passwordFile], { env, stdio: 'ignore' });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // The machine has no outside network: keep Chromium from trying.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function runAxe(page) {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const { readFileSync } = await import('node:fs');
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which the page's strict CSP (rightly)
  // would refuse as an inline <script>.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

// A confirmed reader who accepted the terms, made through the JSON API and the
// confirmation page in `page`'s context (whose cookies then carry the session).
export async function becomeReader(page, server, sink, email, name) {
  const api = page.context().request;
  let session = await (await api.get(`${server.url}/api/v1/session`)).json();
  const registered = await api.post(`${server.url}/api/v1/accounts`, {
    headers: { 'X-CSRF-Token': session.csrf },
    data: { email, display_name: name, password: 'a long password' },
  });
  if (registered.status() !== 201) throw new Error(`registration failed: ${await registered.text()}`);
  const mail = await sink.waitFor(email, /account\/confirm\?token=/);
  const token = mail.plain.match(/token=([A-Za-z0-9_-]+)/)[1];
  await page.goto(`${server.url}/account/confirm?token=${token}`);
  await page.getByRole('button', { name: 'Confirm my address' }).click();
  await page.getByText('Address confirmed').waitFor();
  session = await (await api.post(`${server.url}/api/v1/session`, {
    headers: { 'X-CSRF-Token': session.csrf }, data: { email, password: 'a long password' },
  })).json();
  const terms = await (await api.get(`${server.url}/api/v1/terms`)).json();
  const accepted = await api.post(`${server.url}/api/v1/terms/acceptances`, {
    headers: { 'X-CSRF-Token': session.csrf },
    data: { terms_version: terms.terms.version, guidelines_version: terms.guidelines.version },
  });
  if (accepted.status() !== 200) throw new Error(`accepting the terms failed: ${await accepted.text()}`);
}

// Logs in through the form; returns the page it landed on.
export async function logIn(context, server, email, password) {
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}

// A reader logs in, accepts the terms and comments on the seed story through the
// JSON API, for tests about what happens next; returns the POST's response.
export async function commentThroughApi(context, server, email, password, body, idempotencyKey) {
  const api = context.request;
  let session = await (await api.get(`${server.url}/api/v1/session`)).json();
  session = await (await api.post(`${server.url}/api/v1/session`, {
    headers: { 'X-CSRF-Token': session.csrf }, data: { email, password },
  })).json();
  const terms = await (await api.get(`${server.url}/api/v1/terms`)).json();
  await api.post(`${server.url}/api/v1/terms/acceptances`, {
    headers: { 'X-CSRF-Token': session.csrf },
    data: { terms_version: terms.terms.version, guidelines_version: terms.guidelines.version },
  });
  return api.post(`${server.url}/api/v1/articles/${seedSlug}/comments`, {
    headers: { 'X-CSRF-Token': session.csrf }, data: { body, idempotency_key: idempotencyKey },
  });
}
