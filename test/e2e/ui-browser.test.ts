import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, CHROMIUM, CHROMIUM_MISSING, chromiumForSuite, publish } from '../support/chromium.js';
import { startTestServer } from '../support/listen.js';

const TIMEOUT = 120_000;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A page in a fresh context; `pwned` reports any dialog a page opened. */
async function openPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page, dialogs };
}

test('Chromium is installed where the browser tests expect it', () => {
  assert.ok(existsSync(CHROMIUM), CHROMIUM_MISSING);
});

describe('the web UI in headless Chromium', () => {
  const launched = chromiumForSuite();

  test('a visitor searches as they type, opens a chart, switches versions and copies the install command', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await startTestServer(t);
    await publish(server, '', {
      name: 'nginx',
      version: '1.0.0',
      readme: '# NGINX one\n',
      chart: {
        appVersion: '1.24.0',
        description: 'A web server and reverse proxy',
        keywords: ['web', 'proxy'],
      },
    });
    await publish(server, '', {
      name: 'nginx',
      version: '1.1.0',
      readme: '# NGINX one point one\n\nServes **static** files.\n\n```sh\nhelm install web nginx\n```\n',
      values:
        '# Number of pods\nreplicaCount: 2\nimage:\n  repository: nginx\n  tag: "1.25.3"\n  pullPolicy: IfNotPresent\nservice:\n  type: ClusterIP\n  port: 80\ningress:\n  enabled: false\n',
      chart: {
        appVersion: '1.25.3',
        description: 'A web server and reverse proxy',
        keywords: ['web', 'proxy'],
        home: 'https://nginx.org',
        maintainers: [{ name: 'Web Team', email: 'web@example.com' }],
      },
    });
    await publish(server, 'team', {
      name: 'redis',
      version: '7.2.4',
      chart: { appVersion: '7.2.4', description: 'In-memory data store', keywords: ['cache'] },
    });
    await publish(server, 'team', {
      name: 'postgresql',
      version: '15.0.0',
      chart: { description: 'Relational database', deprecated: true },
    });
    await publish(server, 'team', {
      name: 'kafka',
      version: '3.0.0-rc.1',
      chart: { description: 'Event streaming' },
    });

    const { context, page, dialogs } = await openPage(launched(), {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    t.after(() => context.close());
    const searches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/search')) searches.push(new URL(request.url()).search);
    });

    await page.goto(`${server.url}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/');
    assert.deepEqual(await page.locator('tbody th a').allTextContents(), ['(root)', 'team']);
    await shot(page, 'repositories');

    await page.getByRole('link', { name: 'Charts', exact: true }).click();
    await page.waitForURL(/\/ui\/charts$/);
    assert.deepEqual(await page.locator('#results h2 a').allTextContents(), ['nginx', 'redis']);
    await page.locator('#q').pressSequentially('cach', { delay: 40 });
    await page.locator('#result-count', { hasText: /^1 chart$/ }).waitFor();
    assert.deepEqual(await page.locator('#results h2 a').allTextContents(), ['redis']);
    assert.equal(new URL(page.url()).search, '?q=cach');
    assert.ok(
      searches.some((s) => s === '?q=cach'),
      `searches made: ${searches.join(' ')}`,
    );

    await page.locator('#q').fill('');
    await page.getByLabel('Include deprecated').check();
    await page.locator('#result-count', { hasText: /^3 charts$/ }).waitFor();
    assert.deepEqual(await page.locator('#results h2 a').allTextContents(), ['nginx', 'postgresql', 'redis']);
    assert.equal(await page.locator('#results .badge.deprecated').count(), 1);
    await page.locator('#q').pressSequentially('web', { delay: 40 });
    await page.locator('#result-count', { hasText: /^1 chart$/ }).waitFor();
    await shot(page, 'charts');

    await page.locator('#results h2 a', { hasText: 'nginx' }).click();
    await page.waitForURL(/\/ui\/charts\/nginx$/);
    assert.equal(await page.locator('h1').first().textContent(), 'nginx 1.1.0');
    assert.equal(await page.locator('.markdown h2').textContent(), 'NGINX one point one');
    await shot(page, 'chart');

    await page.locator('#version').selectOption('1.0.0');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/\?version=1\.0\.0$/);
    assert.equal(await page.locator('h1').first().textContent(), 'nginx 1.0.0');
    assert.equal(await page.locator('.markdown h2').textContent(), 'NGINX one');

    const host = new URL(server.url).host;
    await page.getByRole('button', { name: 'Copy: OCI registry' }).click();
    await page.getByRole('button', { name: 'Copy: OCI registry' }).filter({ hasText: 'Copied' }).waitFor();
    assert.equal(
      await page.evaluate<string>('navigator.clipboard.readText()'),
      `helm install my-nginx oci://${host}/nginx --version 1.0.0 --plain-http`,
    );
    await page.getByRole('button', { name: 'Copy: Helm repository' }).click();
    await page.getByRole('button', { name: 'Copy: Helm repository' }).filter({ hasText: 'Copied' }).waitFor();
    assert.equal(
      await page.evaluate<string>('navigator.clipboard.readText()'),
      `helm repo add charthouse ${server.url}\nhelm install my-nginx charthouse/nginx --version 1.0.0`,
    );
    assert.deepEqual(dialogs, []);

    await page.goto(`${server.url}/ui/charts/nginx`);
    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(
      await page.evaluate<string>('getComputedStyle(document.body).backgroundColor'),
      'rgb(13, 17, 23)',
    );
    await shot(page, 'chart-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await page.evaluate<number>('document.documentElement.scrollWidth'), 390);
    await shot(page, 'chart-phone');
  });

  test('a malicious README, description and values stay text and run nothing', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await startTestServer(t);
    await publish(server, '', {
      name: 'evil',
      version: '1.0.0',
      readme: [
        '# Evil <script>window.__pwned = "readme"</script>',
        '<img src=x onerror="window.__pwned = \'img\'">',
        '[click me](javascript:window.__pwned="link")',
        '<svg onload="window.__pwned = \'svg\'"></svg>',
      ].join('\n\n'),
      values: 'a: </pre><script>window.__pwned = "values"</script>\n',
      chart: {
        description: '"><svg onload="window.__pwned = \'description\'">',
        icon: 'javascript:window.__pwned="icon"',
        home: 'javascript:window.__pwned="home"',
      },
    });
    await publish(server, '', { name: 'good', version: '1.0.0' });
    const { context, page, dialogs } = await openPage(launched());
    t.after(() => context.close());

    await page.goto(`${server.url}/ui/charts/evil`);
    await page.locator('#install-title').waitFor();
    assert.equal(await page.evaluate<unknown>('window.__pwned'), undefined);
    // raw HTML went through the sanitizer: the heading keeps its text, the script is gone
    assert.equal(await page.locator('.markdown h2').textContent(), 'Evil ');
    assert.equal(await page.locator('.markdown script, .markdown img').count(), 0);
    assert.equal(await page.locator('.markdown a').count(), 0);
    assert.equal(await page.locator('script').count(), 1);
    assert.equal(await page.locator('svg, iframe, [onerror], [onload]').count(), 0);
    assert.equal(await page.getByText('javascript:window.__pwned="home"').count(), 1);
    await shot(page, 'chart-malicious');

    await page.goto(`${server.url}/ui/charts`);
    await page.locator('#q').pressSequentially('evil', { delay: 30 });
    await page.locator('#result-count', { hasText: /^1 chart$/ }).waitFor();
    // "evi" already finds the chart: wait for the last keystroke's URL, then check it
    await page.waitForURL((url) => url.search === '?q=evil', { timeout: 10_000 });
    assert.equal(new URL(page.url()).search, '?q=evil');
    assert.equal(
      await page.locator('#results .desc').textContent(),
      '"><svg onload="window.__pwned = \'description\'">',
    );
    assert.equal(await page.locator('#results img').count(), 0);
    assert.equal(await page.evaluate<unknown>('window.__pwned'), undefined);
    assert.deepEqual(dialogs, []);
  });

  test('without JavaScript the search form and the version switch still work', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await startTestServer(t);
    await publish(server, '', { name: 'app', version: '1.0.0', readme: 'old readme' });
    await publish(server, '', { name: 'app', version: '2.0.0', readme: 'new readme' });
    await publish(server, '', { name: 'other', version: '1.0.0' });
    const { context, page } = await openPage(launched(), { javaScriptEnabled: false });
    t.after(() => context.close());

    await page.goto(`${server.url}/ui/charts`);
    await page.locator('#q').fill('app');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/ui\/charts\?q=app/);
    assert.deepEqual(await page.locator('#results h2 a').allTextContents(), ['app']);
    await page.locator('#results h2 a').click();
    assert.equal(await page.locator('.markdown').textContent(), 'new readme\n');
    assert.equal(await page.locator('.values-search').isVisible(), false);
    assert.equal(await page.locator('button.copy:visible').count(), 0);
    await page.locator('#version').selectOption('1.0.0');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/\?version=1\.0\.0$/);
    assert.equal(await page.locator('.markdown').textContent(), 'old readme\n');
  });
});
