import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import type { RunningServer } from './listen.js';
import { type ChartOptions, makeChart } from './make-chart.js';

/** Debian's Chromium, which `.ci/run` installs; the browser tests drive it with playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
/** Where the browser tests leave their screenshots (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** What a browser test says when Chromium is not installed. */
export const CHROMIUM_MISSING = `${CHROMIUM} is missing: .ci/run installs it with "apt-get install -y chromium"; install it the same way to run this test`;

/** Headless Chromium, or a failure that says how to install it: never a skip. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), CHROMIUM_MISSING);
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * One Chromium for the describe block this is called in: launched before its tests, closed after
 * them. The function returned gives it, and fails the test that asks when it did not start.
 */
export function chromiumForSuite(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  return () => {
    assert.ok(browser, 'Chromium did not start');
    return browser;
  };
}

/** Publishes a generated chart to a listening server through the chart API and checks the 201. */
export async function publish(
  server: RunningServer,
  repository: string,
  options: ChartOptions,
): Promise<void> {
  const res = await fetch(`${server.url}/api${repository ? `/${repository}` : ''}/charts`, {
    method: 'POST',
    body: new Uint8Array(await makeChart(options)),
  });
  assert.equal(res.status, 201, await res.text());
}
