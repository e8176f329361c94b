// The import's periodic full collection (src/import/full-collection.ts) really collects: an object
// only a WeakRef points at is gone once the 256th version has settled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { collectEveryFewVersions } from '../../src/import/full-collection.js';

/** Made in a function of its own, so that no register of the suspended test still holds it. */
const unreachable = () => new WeakRef({ payload: 'x'.repeat(4096) });

test('the 256th settled version runs a full collection', async () => {
  const settled = collectEveryFewVersions();
  const ref = unreachable();
  await turn(); // a WeakRef keeps its target alive until the job that made it ends
  for (let i = 0; i < 256; i++) settled();
  await turn();
  assert.equal(ref.deref(), undefined, 'nothing collected the unreachable object');
});
