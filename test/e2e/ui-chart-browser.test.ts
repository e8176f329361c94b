import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, chromiumForSuite, publish } from '../support/chromium.js';
import { createHelm } from '../support/helm.js';
import { type RunningServer, startTestServer } from '../support/listen.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TIMEOUT = 180_000;
/** axe over eight pages at two widths: slow on a busy 2-core machine */
const AXE_TIMEOUT = 540_000;

const README = `# Demo chart

A chart with everything a README on GitHub has. See [TL;DR](#tldr).

<p align="center"><img src="https://example.invalid/logo.png" alt="Demo logo" width="80"></p>

## TL;DR

\`\`\`console
$ helm install my-demo oci://registry/demo --version 1.1.0
\`\`\`

> [!NOTE]
> Alerts render like GitHub's.

- [x] task lists
- [ ] unchecked items

| Parameter | Default | Meaning |
|:--|:-:|--:|
| \`replicaCount\` | \`1\` | pods |

<details><summary>More</summary>

\`\`\`yaml
image:
  tag: "1.0"
\`\`\`

</details>
${'\n## Long section\n\nText to scroll past. '.repeat(40)}
`;

const VALUES = `# Default values
replicaCount: 1
image:
  repository: nginx
  tag: "1.25"
ingress:
  enabled: false
  tls:
    - secretName: demo-tls
      hosts:
        - demo.example.com
  annotations: {}
resources: {}
`;

async function seed(server: RunningServer): Promise<void> {
  await publish(server, '', { name: 'demo', version: '1.0.0', values: 'replicaCount: 1\n' });
  await publish(server, '', {
    name: 'demo',
    version: '1.1.0',
    readme: README,
    values: VALUES,
    chart: {
      appVersion: '1.25.3',
      description: 'A demo chart',
      icon: 'https://broken.example.invalid/icon.png',
      annotations: { 'artifacthub.io/changes': '- kind: added\n  description: Ingress TLS\n' },
    },
    files: {
      'values.schema.json': JSON.stringify({
        properties: { replicaCount: { type: 'integer', description: 'Pods' } },
      }),
    },
  });
  await publish(server, 'libs', { name: 'common', version: '1.0.0', chart: { type: 'library' } });
  await publish(server, 'libs', { name: 'legacy', version: '0.9.0', chart: { deprecated: true } });
}

/** axe-core in the page (a context that bypasses the CSP, since axe is injected inline): its violations. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate<{ violations: { id: string; nodes: { target: string[] }[] }[] }>(
    'axe.run(document)',
  );
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the chart page in headless Chromium', () => {
  const launched = chromiumForSuite();

  test('the copied OCI command works in Helm 4 against this plain-HTTP server (bug 1)', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await startTestServer(t);
    await seed(server);
    const context = await launched().newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    t.after(() => context.close());
    const page = await context.newPage();
    await page.goto(`${server.url}/ui/charts/demo`);
    await page.getByRole('button', { name: 'Copy: OCI registry' }).click();
    await page.getByRole('button', { name: 'Copy: OCI registry' }).filter({ hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    const host = new URL(server.url).host;
    assert.equal(copied, `helm install my-demo oci://${host}/demo --version 1.1.0 --plain-http`);
    // `helm template` takes install's arguments and needs no cluster
    const helm = await createHelm('4', t);
    const args = copied.split(' ').slice(1);
    args[0] = 'template';
    const rendered = await helm.run(args);
    assert.match(rendered.stdout, /kind: ConfigMap/);
    // without the flag Helm 4 fails, which is the bug the flag fixes
    const without = await helm.run(
      args.filter((a) => a !== '--plain-http'),
      { allowFailure: true },
    );
    assert.notEqual(without.code, 0);
    assert.match(without.stderr, /HTTP response to HTTPS client|http: server gave HTTP response/i);
  });

  test('keyboard, deep links, values tools, README and icons behave (bugs 3, 4, 9)', {
    timeout: TIMEOUT,
  }, async (t) => {
    const server = await startTestServer(t);
    await seed(server);
    const context = await launched().newContext({ viewport: { width: 1280, height: 900 } });
    t.after(() => context.close());
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        cspErrors.push(message.text());
    });
    await page.route('https://broken.example.invalid/**', (route) => route.abort());
    await page.route('https://example.invalid/**', (route) => route.abort());
    await page.goto(`${server.url}/ui/charts/demo`);

    // a broken icon becomes the letter placeholder
    await page.locator('.chart-head .icon.placeholder').waitFor();
    assert.equal(await page.locator('.chart-head .icon.placeholder').textContent(), 'd');

    // arrow keys change the choice, not the page; the button navigates
    await page.locator('#version').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(300);
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.locator('#version').inputValue(), '1.0.0');

    // the install copy button is a few Tab presses from the top
    await page.goto(`${server.url}/ui/charts/demo`);
    let presses = 0;
    while (presses < 40) {
      await page.keyboard.press('Tab');
      presses++;
      if (
        (await page.evaluate<string>('document.activeElement?.getAttribute("aria-label") ?? ""')) ===
        'Copy: Helm repository'
      )
        break;
    }
    assert.ok(presses <= 15, `the install copy button took ${presses} Tab presses`);

    // README: sanitised HTML, GFM, heading anchors that work, one h1
    assert.equal(await page.locator('h1').count(), 1);
    assert.equal(
      await page.locator('.markdown .markdown-alert-note .markdown-alert-title').textContent(),
      'Note',
    );
    assert.equal(await page.locator('.markdown input[type="checkbox"][disabled]').count(), 2);
    assert.equal(await page.locator('.markdown details summary').textContent(), 'More');
    assert.equal(await page.locator('.markdown p.align-center img').count(), 1);
    assert.equal(await page.locator('.markdown th.align-right').count(), 1);
    assert.ok((await page.locator('.markdown code.language-console .hljs-meta').count()) > 0);
    await page.locator('.markdown a[href="#tldr"]').click();
    await page.waitForURL(/#tldr$/);
    assert.equal(
      await page.evaluate<string>('document.querySelector(":target")?.textContent ?? ""'),
      'TL;DR',
    );

    // values: a deep link opens on the key, folding hides children, the search finds a key
    await page.goto(`${server.url}/ui/charts/demo#values-ingress.tls`);
    assert.equal(await page.locator('#values-ingress\\.tls').getAttribute('class'), 'line found');
    assert.ok(await page.locator('#values-ingress\\.tls').isVisible());
    await page.getByRole('button', { name: 'Fold ingress', exact: true }).click();
    assert.equal(await page.locator('#values-ingress\\.enabled').isVisible(), false);
    await page.locator('#values-key').fill('enabled');
    await page.locator('#values-key').press('Enter');
    await page.locator('#values-key-status', { hasText: 'Line 7: ingress.enabled' }).waitFor();
    assert.ok(await page.locator('#values-ingress\\.enabled').isVisible());
    assert.match(page.url(), /#values-ingress\.enabled$/);
    // line numbers are drawn by CSS: the copied values are the file itself
    assert.equal(await page.locator('#values-yaml').textContent(), VALUES.replace(/\n$/, '\n'));
    assert.deepEqual(cspErrors, []);
  });

  test('every page type has no axe violations at 1280 and 390 px, and commands wrap only at spaces', {
    timeout: AXE_TIMEOUT,
  }, async (t) => {
    const server = await startTestServer(t);
    await seed(server);
    const pages: [string, string][] = [
      ['chart-page', '/ui/charts/demo'],
      ['chart-library', '/ui/charts/libs/common'],
      ['chart-deprecated', '/ui/charts/libs/legacy'],
      ['chart-values-diff', '/ui/charts/demo?version=1.1.0&diff=1.0.0'],
      ['chart-file', '/ui/charts/demo?version=1.1.0&file=templates%2Fconfigmap.yaml'],
      ['repository-page', '/ui/repo/libs'],
      ['repositories', '/ui/'],
      ['chart-list', '/ui/charts'],
    ];
    for (const width of [1280, 390]) {
      const context = await launched().newContext({ viewport: { width, height: 900 }, bypassCSP: true });
      t.after(() => context.close());
      const page = await context.newPage();
      await page.route('https://**', (route) => route.abort());
      for (const [name, path] of pages) {
        await page.goto(`${server.url}${path}`);
        assert.deepEqual(await axeViolations(page), [], `${name} at ${width} px`);
        assert.ok(
          (await page.evaluate<number>('document.documentElement.scrollWidth')) <= width,
          `${name} scrolls sideways at ${width} px`,
        );
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
      }
      if (width === 390) {
        await page.goto(`${server.url}/ui/charts/demo`);
        const broken = await page.evaluate<number>(
          'Array.from(document.querySelectorAll(".command .word")).filter((w) => w.getClientRects().length > 1).length',
        );
        assert.equal(broken, 0, 'a command word was broken across lines');
      }
    }
  });
});
