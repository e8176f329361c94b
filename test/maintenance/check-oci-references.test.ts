// `charthouse check` and dangling OCI references (issue 15, item 7): an image index listing a
// manifest that is gone, or a tag naming one, breaks a pull of the whole index, so it is a
// problem: check exits 1, and --repair says what it would take instead of deleting anything.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Config } from '../../src/config/config.js';
import { runMaintenanceCommand } from '../../src/maintenance/commands.js';
import { mediaTypes } from '../../src/oci/media-types.js';
import { pushImage, putManifest, sha256 } from '../oci/oci-client.js';
import { buildTestApp, type TestApp } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';

async function check(target: TestApp, ...flags: string[]) {
  let stdout = '';
  const store = target.config.database ? ['--database', target.config.database] : [];
  const code = await runMaintenanceCommand('check', [...flags, '--storage', target.dir, ...store], {
    env: {},
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
  });
  return { code, stdout };
}

/** An index of `team/img` listing the pushed image and one manifest that was never stored. */
async function danglingIndex(target: TestApp) {
  const image = await pushImage(target.http, 'team/img', 'amd64');
  const gone = sha256('a manifest that was never pushed');
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociIndex,
      manifests: [image.digest, gone].map((digest) => ({
        mediaType: mediaTypes.ociManifest,
        digest,
        size: 10,
      })),
    }),
  );
  // the API refuses such an index (MANIFEST_BLOB_UNKNOWN): written to the store as an older
  // server's manifest delete would have left it
  await target.stores.meta.putOciManifest('team/img', {
    digest: sha256(bytes),
    mediaType: mediaTypes.ociIndex,
    size: bytes.length,
    bytes,
    created: new Date().toISOString(),
    blobs: [],
  });
  return { index: sha256(bytes), gone };
}

const backends: Array<[string, () => Promise<Partial<Config>>]> = [
  ['sqlite', async () => ({})],
  ['postgres', async () => ({ database: await freshDatabase() })],
];

for (const [backend, storeConfig] of backends) {
  describe(`${backend}: check reports dangling OCI references`, () => {
    test('an index listing a missing manifest makes check exit 1; --repair names the remedy and keeps the index', async (t) => {
      const target = await buildTestApp(t, await storeConfig());
      const image = await pushImage(target.http, 'team/ok', 'v1');
      const whole = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: mediaTypes.ociIndex,
          manifests: [{ mediaType: mediaTypes.ociManifest, digest: image.digest, size: image.bytes.length }],
        }),
      );
      await putManifest(target.http, 'team/ok', 'multi', whole, mediaTypes.ociIndex).expect(201);
      const clean = await check(target);
      assert.equal(clean.code, 0, clean.stdout);

      const { index, gone } = await danglingIndex(target);
      const broken = await check(target);
      assert.equal(broken.code, 1, broken.stdout);
      assert.ok(
        broken.stdout.includes(
          `  dangling-reference team/img@${index}  the image index lists manifest ${gone}, which team/img does not hold\n` +
            `                   to fix: push manifest ${gone} to team/img again, or delete the index (DELETE /v2/team/img/manifests/${index})\n`,
        ),
        broken.stdout,
      );
      const repaired = await check(target, '--repair');
      assert.equal(repaired.code, 1);
      assert.match(repaired.stdout, /not repaired: push manifest sha256:[0-9a-f]{64} to team\/img again/);
      assert.match(
        repaired.stdout,
        /--repair removes leftovers only: it never deletes anything to hide a problem/,
      );
      await target.http.get(`/v2/team/img/manifests/${index}`).expect(200);
      const json = JSON.parse((await check(target, '--json')).stdout) as {
        problems: Array<{ kind: string }>;
      };
      assert.deepEqual(
        json.problems.map((p) => p.kind),
        ['dangling-reference'],
      );
    });
  });
}

test('sqlite: a tag row whose manifest row is gone is a dangling reference', async (t) => {
  const target = await buildTestApp(t);
  const image = await pushImage(target.http, 'team/img', 'v1');
  // only a store edited by hand (or with foreign keys off) gets here: the tag row cascades otherwise
  const db = new Database(join(target.dir, 'charthouse.db'));
  t.after(() => db.close());
  db.pragma('foreign_keys = OFF');
  db.prepare('DELETE FROM oci_manifests WHERE digest = ?').run(image.digest);
  const broken = await check(target);
  assert.equal(broken.code, 1, broken.stdout);
  assert.match(
    broken.stdout,
    /dangling-reference team\/img:v1 {2}the tag names manifest row \d+, which no longer exists\n {19}to fix: push the tag again, or delete it \(DELETE \/v2\/team\/img\/manifests\/v1\)/,
  );
});
