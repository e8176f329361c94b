import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, chromiumForSuite, publish } from '../support/chromium.js';
import { startTestServer } from '../support/listen.js';

/* The chart list's "Did you mean" and hidden-chart hints in headless Chromium, typed and clicked. */

const TIMEOUT = 120_000;

describe('search corrections and hints in headless Chromium', () => {
  const launched = chromiumForSuite();

  test('a misspelt name offers "Did you mean", and a hidden deprecated chart is one click away', {
    timeout: TIMEOUT,
  }, async (t) => {
    const browser = launched();
    const server = await startTestServer(t);
    await publish(server, '', { name: 'postgresql', version: '12.0.0', chart: { keywords: ['database'] } });
    await publish(server, '', { name: 'prometheus', version: '25.0.0', chart: { keywords: ['monitoring'] } });
    await publish(server, 'team', { name: 'oldsql', version: '1.0.0', chart: { deprecated: true } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    t.after(() => context.close());
    const page = await context.newPage();

    // as you type: the script renders the correction from /api/search
    await page.goto(`${server.url}/ui/charts`);
    await page.locator('#q').pressSequentially('postgress', { delay: 30 });
    await page.locator('#result-count', { hasText: /^0 charts$/ }).waitFor();
    const mean = page.locator('#search-hints .did-you-mean');
    await mean.waitFor();
    assert.equal(await mean.textContent(), 'Did you mean postgresql (1 chart)?');
    await page.screenshot({ path: join(ARTIFACTS, 'search-did-you-mean.png'), fullPage: true });
    await mean.getByRole('link', { name: 'postgresql' }).click();
    await page.waitForURL(/\?q=postgresql$/);
    assert.deepEqual(await page.locator('#results h2 a').allTextContents(), ['postgresql']);
    assert.equal(await page.locator('#search-hints .did-you-mean').count(), 0);

    // rendered by the server: the exact name of a deprecated chart says it was hidden
    await page.goto(`${server.url}/ui/charts?q=oldsql`);
    assert.equal(await page.locator('#result-count').textContent(), '0 charts');
    const hint = page.locator('#search-hints .hint-hidden');
    assert.equal(await hint.textContent(), '1 deprecated chart also matches. Show deprecated charts');
    await page.screenshot({ path: join(ARTIFACTS, 'search-hidden-deprecated.png'), fullPage: true });
    await hint.getByRole('link', { name: 'Show deprecated charts' }).click();
    await page.waitForURL(/deprecated=true/);
    assert.deepEqual(await page.locator('#results h2 a').allTextContents(), ['oldsql']);
    assert.equal(await page.locator('#results .badge.deprecated').count(), 1);
    assert.ok(await page.getByLabel('Include deprecated').isChecked());

    // a keyword facet narrows the list
    await page.goto(`${server.url}/ui/charts`);
    await page.locator('#facets').getByRole('link', { name: 'monitoring' }).click();
    await page.waitForURL(/keyword=monitoring/);
    assert.deepEqual(await page.locator('#results h2 a').allTextContents(), ['prometheus']);
  });
});
