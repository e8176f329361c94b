import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Config } from '../../src/config/config.js';
import { addRepository, addUser, basic } from '../support/auth.js';
import { assertNoAxeViolations } from '../support/axe-page.js';
import { ARTIFACTS, chromiumForSuite } from '../support/chromium.js';
import { createHelm } from '../support/helm.js';
import { type RunningServer, startTestServer } from '../support/listen.js';
import { makeChart } from '../support/make-chart.js';
import { makeProv } from '../support/provenance.js';

const TIMEOUT = 180_000;
const PASSWORD = 'correct horse battery';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

type TestContext = Parameters<typeof startTestServer>[0];

/** A server with access control on: root (server admin), alice (admin of the private "team"), bob. */
async function privateServer(t: TestContext, overrides: Partial<Config> = {}): Promise<RunningServer> {
  const server = await startTestServer(t, { auth: 'on', anonymousRead: false, ...overrides });
  const store = server.stores.auth;
  await addUser(store, 'root', PASSWORD, true);
  await addUser(store, 'alice', PASSWORD);
  await addUser(store, 'bob', PASSWORD);
  await addRepository(store, 'team', 'private', { alice: 'admin' });
  const res = await fetch(`${server.url}/api/team/charts`, {
    method: 'POST',
    headers: { authorization: basic('root', PASSWORD) },
    body: new Uint8Array(await makeChart({ name: 'secret-app', version: '1.0.0', readme: '# Secret app\n' })),
  });
  assert.equal(res.status, 201, await res.text());
  return server;
}

/** Both widths, axe-checked, with a screenshot of each. */
async function checkPage(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of [
    ['', DESKTOP],
    ['-phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await assertNoAxeViolations(page, `${name}${size}`);
    await page.screenshot({ path: join(ARTIFACTS, `${name}${size}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

async function signIn(page: Page, server: RunningServer, user: string, password = PASSWORD): Promise<void> {
  await page.goto(`${server.url}/ui/signin`);
  await page.getByLabel('User name').fill(user);
  await page.getByLabel('Password or API token').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.account .user', { hasText: user }).waitFor();
}

describe('signing in to the web UI, in headless Chromium', () => {
  const launched = chromiumForSuite();

  const newPage = async (t: TestContext) => {
    const context = await launched().newContext({ viewport: DESKTOP });
    t.after(() => context.close());
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    return { context, page, problems };
  };

  test('a private repository appears only after sign-in; sign-out ends it; the theme choice is remembered', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await privateServer(t);
    const { page, problems } = await newPage(t);
    await page.goto(`${server.url}/ui/`);
    assert.equal(await page.locator('tbody th a', { hasText: 'team' }).count(), 0);

    // the chart's own address shows the sign-in form, and comes back to it afterwards
    const answer = await page.goto(`${server.url}/ui/charts/team/secret-app`);
    assert.equal(answer?.status(), 401);
    await page.getByRole('alert').filter({ hasText: 'Sign in to see this page.' }).waitFor();
    await page.getByLabel('Password or API token').fill('wrong password');
    await page.getByLabel('User name').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The user name, password or token is not right.' })
      .waitFor();
    await checkPage(page, 'signin');
    await page.getByLabel('Password or API token').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/ui\/charts\/team\/secret-app$/);
    await page.getByRole('heading', { level: 1, name: /secret-app/ }).waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'charthouse_session');
    assert.ok(session?.httpOnly);
    assert.equal(session?.sameSite, 'Lax');
    assert.equal(await page.evaluate<boolean>("document.cookie.includes('charthouse_session')"), false);

    await page.goto(`${server.url}/ui/`);
    await page.locator('tbody th a', { hasText: 'team' }).waitFor();

    // dark mode: the toggle flips the page and the next page arrives dark, without any script
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.equal(await background(), 'rgb(13, 17, 23)');
    await page.goto(`${server.url}/ui/charts`);
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    assert.equal(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed'), 'true');
    await checkPage(page, 'charts-signed-in-dark');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.reload();
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'light');
    assert.equal(await background(), 'rgb(255, 255, 255)');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/ui\/$/);
    assert.equal(await page.locator('tbody th a', { hasText: 'team' }).count(), 0);
    assert.equal((await page.goto(`${server.url}/ui/charts/team/secret-app`))?.status(), 401);
    // the 401s above are console errors too; what must never show is a blocked script or style
    assert.deepEqual(
      problems.filter((p) => /Content Security Policy|Refused to/i.test(p)),
      [],
    );
  });

  test('a session idle past --session-idle-timeout is over: the next page asks to sign in', {
    timeout: TIMEOUT,
  }, async (t) => {
    // long enough for a loaded machine to sign in and load a page within it
    const server = await privateServer(t, { sessionIdleTimeout: 8000 });
    const { page } = await newPage(t);
    await signIn(page, server, 'alice');
    assert.equal((await page.goto(`${server.url}/ui/charts/team/secret-app`))?.status(), 200);
    await new Promise((resolve) => setTimeout(resolve, 9000));
    assert.equal((await page.goto(`${server.url}/ui/charts/team/secret-app`))?.status(), 401);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
  });

  test('a form posted from another site is refused with a 403 page that says why', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await privateServer(t);
    // another origin (another port), serving a form aimed at our token page
    const evil = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><title>win a prize</title>
<form method="post" action="${server.url}/ui/tokens"><input name="name" value="stolen"><input name="csrf" value="guess"><button>Claim</button></form>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => evil.close(resolve)));
    const address = evil.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const { page } = await newPage(t);
    await signIn(page, server, 'alice');
    await page.goto(`http://127.0.0.1:${port}/`);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/ui/tokens')),
      page.getByRole('button', { name: 'Claim' }).click(),
    ]);
    assert.equal(answer.status(), 403);
    await page.getByText('This form was not sent from a page of this site').waitFor();
    await checkPage(page, 'form-refused');
    await page.goto(`${server.url}/ui/tokens`);
    assert.equal(await page.getByRole('rowheader', { name: 'stolen' }).count(), 0);
  });

  test('a token made on the Tokens page works with Helm until it is revoked there', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await privateServer(t);
    const { page } = await newPage(t);
    await signIn(page, server, 'alice');
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByLabel('Name').fill('laptop');
    await page.getByLabel('Expires after').selectOption('30d');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = (await page.locator('.secret pre code').first().textContent()) ?? '';
    assert.match(secret, /^cht_[A-Za-z0-9_-]{43}$/);
    await checkPage(page, 'tokens');
    await page.reload();
    assert.equal(await page.locator('.secret').count(), 0, 'the secret is shown once');

    const helm = await createHelm('3', t);
    const work = await mkdtemp(join(tmpdir(), 'charthouse-ui-token-'));
    t.after(() => rm(work, { recursive: true, force: true }));
    const add = ['repo', 'add', 'team', `${server.url}/team`, '--username', 'alice', '--password', secret];
    await helm.run(add);
    await helm.run(['pull', 'team/secret-app', '--version', '1.0.0', '--destination', work]);
    assert.ok(existsSync(join(work, 'secret-app-1.0.0.tgz')));

    await page.goto(`${server.url}/ui/tokens`);
    await page.getByRole('button', { name: 'Revoke the token laptop' }).click();
    await page.getByRole('status').filter({ hasText: 'Token "laptop" is revoked.' }).waitFor();
    // Helm 3's repo update reports a failed repository but exits 0; pulling is what fails
    const update = await helm.run(['repo', 'update', 'team'], { allowFailure: true });
    assert.match(update.stderr + update.stdout, /401 Unauthorized/);
    await rm(join(work, 'secret-app-1.0.0.tgz'));
    const refused = await helm.run(['pull', 'team/secret-app', '--version', '1.0.0', '--destination', work], {
      allowFailure: true,
    });
    assert.notEqual(refused.code, 0, refused.stdout);
    assert.match(refused.stderr, /401/);
    assert.equal(existsSync(join(work, 'secret-app-1.0.0.tgz')), false);
    const curl = await fetch(`${server.url}/team/index.yaml`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    assert.equal(curl.status, 401);
  });

  test('a repository admin adds, promotes and removes a member from the Members page', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await privateServer(t);
    const alice = await newPage(t);
    const bob = await newPage(t);
    await signIn(bob.page, server, 'bob');
    assert.equal((await bob.page.goto(`${server.url}/ui/charts/team/secret-app`))?.status(), 404);
    // bob manages nothing, and a repository he may not manage is as good as missing
    assert.equal((await bob.page.goto(`${server.url}/ui/members?repo=team`))?.status(), 404);

    await signIn(alice.page, server, 'alice');
    await alice.page.getByRole('link', { name: 'Members' }).click();
    await alice.page.getByRole('link', { name: 'team' }).waitFor();
    await checkPage(alice.page, 'members-list');
    await alice.page.getByRole('link', { name: 'team' }).click();
    await alice.page.getByLabel('User name').fill('nobody');
    await alice.page.getByRole('button', { name: 'Add' }).click();
    await alice.page.getByRole('alert').filter({ hasText: 'no user' }).waitFor();
    await alice.page.getByLabel('User name').fill('bob');
    await alice.page.getByLabel('Role', { exact: true }).selectOption('read');
    await alice.page.getByRole('button', { name: 'Add' }).click();
    await alice.page.getByRole('status').filter({ hasText: 'bob is now read.' }).waitFor();
    await checkPage(alice.page, 'members');
    assert.equal((await bob.page.goto(`${server.url}/ui/charts/team/secret-app`))?.status(), 200);

    await alice.page.getByLabel('Role of bob', { exact: true }).selectOption('write');
    await alice.page.getByRole('button', { name: 'Change the role of bob' }).click();
    await alice.page.getByRole('status').filter({ hasText: 'bob is now write.' }).waitFor();
    assert.equal(await server.stores.auth.roleOf('team', 'bob'), 'write');

    await alice.page.getByRole('button', { name: 'Remove bob' }).click();
    await alice.page.getByRole('status').filter({ hasText: 'bob is no longer a member.' }).waitFor();
    assert.equal((await bob.page.goto(`${server.url}/ui/charts/team/secret-app`))?.status(), 404);
  });

  test('a user with write uploads a chart and its provenance from the page; a bad package is refused readably', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await privateServer(t);
    await server.stores.auth.grant('team', 'bob', 'write');
    const files = await mkdtemp(join(tmpdir(), 'charthouse-ui-upload-'));
    t.after(() => rm(files, { recursive: true, force: true }));
    const tgz = await makeChart({ name: 'uploaded', version: '2.0.0' });
    await writeFile(join(files, 'uploaded-2.0.0.tgz'), tgz);
    await writeFile(join(files, 'uploaded-2.0.0.tgz.prov'), makeProv('uploaded', '2.0.0', tgz));
    await writeFile(join(files, 'broken.tgz'), 'this is not a chart');

    const { page } = await newPage(t);
    await signIn(page, server, 'bob');
    await page.getByRole('link', { name: 'Upload' }).click();
    await page.getByLabel('Repository').selectOption('team');
    await page.getByLabel('Chart package (.tgz)').setInputFiles(join(files, 'broken.tgz'));
    await page.getByRole('button', { name: 'Upload' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /gzip|chart/i);
    await checkPage(page, 'upload-refused');

    await page.getByLabel('Chart package (.tgz)').setInputFiles(join(files, 'uploaded-2.0.0.tgz'));
    await page
      .getByLabel('Provenance file (.prov, optional)')
      .setInputFiles(join(files, 'uploaded-2.0.0.tgz.prov'));
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').filter({ hasText: 'Published uploaded 2.0.0 to team.' }).waitFor();
    await checkPage(page, 'upload');
    const stored = await fetch(`${server.url}/api/team/charts/uploaded/2.0.0`, {
      headers: { authorization: basic('bob', PASSWORD) },
    });
    assert.equal(stored.status, 200);
    const prov = await fetch(`${server.url}/team/charts/uploaded-2.0.0.tgz.prov`, {
      headers: { authorization: basic('bob', PASSWORD) },
    });
    assert.equal(prov.status, 200);

    // the same version again is the API's 409, shown on the page
    await page.getByLabel('Chart package (.tgz)').setInputFiles(join(files, 'uploaded-2.0.0.tgz'));
    const [again] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/ui/upload') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Upload' }).click(),
    ]);
    assert.equal(again.status(), 409);
    await page.getByRole('alert').filter({ hasText: 'already exists' }).waitFor();

    // a user with read only is offered no repository to push to
    await server.stores.auth.grant('team', 'bob', 'read');
    await page.goto(`${server.url}/ui/upload`);
    await page.getByText('You may not push to any repository.').waitFor();
  });
});
