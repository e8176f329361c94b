import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: Promise<string> | undefined;

/**
 * Runs axe-core (the npm package, evaluated in the page through the DevTools protocol, so the
 * strict CSP stays on) and fails with each violation's rule, help text and first targets.
 */
export async function assertNoAxeViolations(page: Page, label: string): Promise<void> {
  source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await source);
  const violations = await page.evaluate<
    Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }>
  >('axe.run().then((result) => result.violations)');
  const described = violations.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')})`,
  );
  assert.deepEqual(described, [], `axe violations on ${label}`);
}
