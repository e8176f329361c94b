// OCI tags never move silently (issue 15, item 7): three ways found from outside for a tag to change or
// break without anyone asking, each reproduced on SQLite and on PostgreSQL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type supertest from 'supertest';
import type { Config } from '../../src/config/config.js';
import { mediaTypes } from '../../src/oci/media-types.js';
import { pushChart, pushImage, putManifest, sha256 } from '../oci/oci-client.js';
import { buildTestApp, type TestContext } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';
import { provenanceDocument } from '../support/provenance.js';

type Http = ReturnType<typeof supertest>;

const backends: Array<[string, () => Promise<Partial<Config>>]> = [
  ['sqlite', async () => ({})],
  ['postgres', async () => ({ database: await freshDatabase() })],
];

const errorOf = (res: { body: unknown }) =>
  (res.body as { errors?: Array<{ code: string; message: string }> }).errors?.[0];

async function tagDigest(http: Http, name: string, tag: string): Promise<string> {
  const res = await http.get(`/v2/${name}/manifests/${tag}`).expect(200);
  return res.headers['docker-content-digest'] as string;
}

function imageIndex(children: Array<{ digest: string; size: number }>): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: mediaTypes.ociIndex,
      manifests: children.map((c) => ({
        mediaType: mediaTypes.ociManifest,
        digest: c.digest,
        size: c.size,
        platform: { architecture: 'amd64', os: 'linux' },
      })),
    }),
  );
}

for (const [backend, storeConfig] of backends) {
  const app = async (t: TestContext, overrides: Partial<Config> = {}) =>
    buildTestApp(t, { ...(await storeConfig()), ...overrides });

  describe(`${backend}: a chart upload never takes over an image's tag`, () => {
    test('an HTTP upload whose version is an image tag answers 409 with the reason, and the tag still names the image', async (t) => {
      const { http } = await app(t);
      const image = await pushImage(http, 'team/app', '3.0.0');
      const res = await http
        .post('/api/team/charts')
        .set('content-type', 'application/octet-stream')
        .send(await makeChart({ name: 'app', version: '3.0.0' }));
      assert.equal(res.status, 409, res.text);
      assert.equal(
        res.body.error,
        'the OCI tag team/app:3.0.0 already names other content (an image); delete that tag first, or allow overwrite to move the tag to the chart',
      );
      assert.equal(await tagDigest(http, 'team/app', '3.0.0'), image.digest);
      await http.get('/api/team/charts/app/3.0.0').expect(404);
    });

    test('with overwrite allowed the upload takes the tag; the image stays readable by digest', async (t) => {
      const { http } = await app(t, { allowOverwrite: true });
      const image = await pushImage(http, 'team/app', '3.0.0');
      await http
        .post('/api/team/charts')
        .set('content-type', 'application/octet-stream')
        .send(await makeChart({ name: 'app', version: '3.0.0' }))
        .expect(201);
      const tagged = await http.get('/v2/team/app/manifests/3.0.0').expect(200);
      assert.equal(JSON.parse(tagged.text).config.mediaType, mediaTypes.helmConfig);
      assert.notEqual(tagged.headers['docker-content-digest'], image.digest);
      await http.get(`/v2/team/app/manifests/${image.digest}`).expect(200);
      assert.deepEqual((await http.get('/v2/team/app/tags/list').expect(200)).body.tags, ['3.0.0']);
    });

    test('a chart pushed over OCI to an image tag answers 403 DENIED, unless overwrite is allowed', async (t) => {
      const chart = { name: 'app', version: '3.0.0' };
      const tgz = await makeChart(chart);
      const closed = await app(t);
      const image = await pushImage(closed.http, 'team/app', '3.0.0');
      const denied = await pushChart(closed.http, 'team/app', tgz, chart);
      assert.equal(denied.res.status, 403, denied.res.text);
      assert.equal(errorOf(denied.res)?.code, 'DENIED');
      assert.equal(
        errorOf(denied.res)?.message,
        'the OCI tag team/app:3.0.0 already names other content (an image); delete that tag first, or allow overwrite to move the tag to the chart',
      );
      assert.equal(await tagDigest(closed.http, 'team/app', '3.0.0'), image.digest);
      await closed.http.get('/api/team/charts/app/3.0.0').expect(404);

      const open = await app(t, { allowOverwrite: true });
      await pushImage(open.http, 'team/app', '3.0.0');
      const pushed = await pushChart(open.http, 'team/app', tgz, chart);
      assert.equal(pushed.res.status, 201, pushed.res.text);
      assert.equal(await tagDigest(open.http, 'team/app', '3.0.0'), pushed.digest);
    });
  });

  describe(`${backend}: a manifest PUT of the same chart bytes by tag moves the tag, whatever was read before`, () => {
    const chart = { name: 'web', version: '1.0.0' };
    for (const readFirst of [true, false]) {
      test(`the generated manifest ${readFirst ? 'read' : 'never read'} before the PUT`, async (t) => {
        const { http } = await app(t);
        const tgz = await makeChart(chart);
        await http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz).expect(201);
        const generated = readFirst ? await tagDigest(http, 'web', '1.0.0') : undefined;
        const pushed = await pushChart(http, 'web', tgz, chart, { created: '2027-02-02T00:00:00Z' });
        assert.equal(pushed.res.status, 201, pushed.res.text);
        assert.equal(pushed.res.headers['docker-content-digest'], pushed.digest);
        assert.notEqual(pushed.digest, generated);
        assert.equal(await tagDigest(http, 'web', '1.0.0'), pushed.digest);
        if (generated) await http.get(`/v2/web/manifests/${generated}`).expect(200);
        // the classic view is the same package
        const entry = (await http.get('/api/charts/web/1.0.0').expect(200)).body;
        assert.equal(`sha256:${entry.digest}`, sha256(tgz));
      });
    }

    test('a PUT by digest stores the manifest beside the current one and leaves the tag', async (t) => {
      const { http } = await app(t);
      const tgz = await makeChart(chart);
      await http.post('/api/charts').set('content-type', 'application/octet-stream').send(tgz).expect(201);
      const byDigest = await pushChart(http, 'web', tgz, chart, {
        created: '2027-02-02T00:00:00Z',
        byDigest: true,
      });
      assert.equal(byDigest.res.status, 201, byDigest.res.text);
      const current = await tagDigest(http, 'web', '1.0.0');
      assert.notEqual(current, byDigest.digest);
      await http.get(`/v2/web/manifests/${byDigest.digest}`).expect(200);
      await putManifest(http, 'web', '1.0.0', byDigest.bytes).expect(201);
      assert.equal(await tagDigest(http, 'web', '1.0.0'), byDigest.digest);
    });

    test('a manifest without the provenance layer of a signed version cannot take its tag', async (t) => {
      const { http } = await app(t);
      const tgz = await makeChart(chart);
      const prov = provenanceDocument('web', '1.0.0', { 'web-1.0.0.tgz': sha256(tgz) });
      const signed = await pushChart(http, 'web', tgz, chart, { prov });
      assert.equal(signed.res.status, 201, signed.res.text);
      const unsigned = await pushChart(http, 'web', tgz, chart, { created: '2027-02-02T00:00:00Z' });
      assert.equal(unsigned.res.status, 403, unsigned.res.text);
      assert.equal(errorOf(unsigned.res)?.code, 'DENIED');
      assert.equal(
        errorOf(unsigned.res)?.message,
        'web 1.0.0 in the root repository is signed: a manifest without its provenance layer cannot take the tag "1.0.0" (push it with the .prov, or by digest)',
      );
      assert.equal(await tagDigest(http, 'web', '1.0.0'), signed.digest);
    });
  });

  describe(`${backend}: a manifest an image index lists cannot be deleted`, () => {
    test('the delete answers 405 UNSUPPORTED with the index named; the index stays whole until it goes first', async (t) => {
      const { http } = await app(t);
      const amd = await pushImage(http, 'team/img', 'amd64');
      const arm = await pushImage(http, 'team/img', 'arm64');
      const index = imageIndex([
        { digest: amd.digest, size: amd.bytes.length },
        { digest: arm.digest, size: arm.bytes.length },
      ]);
      await putManifest(http, 'team/img', 'multi', index, mediaTypes.ociIndex).expect(201);
      const indexDigest = sha256(index);

      const refused = await http.delete(`/v2/team/img/manifests/${amd.digest}`);
      assert.equal(refused.status, 405, refused.text);
      assert.equal(errorOf(refused)?.code, 'UNSUPPORTED');
      assert.equal(
        errorOf(refused)?.message,
        `manifest ${amd.digest} is still listed by the image index ${indexDigest} in team/img: delete the index first`,
      );
      await http.get(`/v2/team/img/manifests/${amd.digest}`).expect(200);
      await http.get('/v2/team/img/manifests/amd64').expect(200);

      // deleting the tag alone removes no manifest: allowed
      await http.delete('/v2/team/img/manifests/amd64').expect(202);
      await http.get(`/v2/team/img/manifests/${amd.digest}`).expect(200);

      await http.delete(`/v2/team/img/manifests/${indexDigest}`).expect(202);
      await http.delete(`/v2/team/img/manifests/${amd.digest}`).expect(202);
      await http.get(`/v2/team/img/manifests/${amd.digest}`).expect(404);
    });

    test('a chart manifest listed by an index is refused by digest and by its version tag', async (t) => {
      const { http } = await app(t);
      const chart = { name: 'web', version: '1.0.0' };
      const pushed = await pushChart(http, 'web', await makeChart(chart), chart);
      assert.equal(pushed.res.status, 201, pushed.res.text);
      await putManifest(
        http,
        'web',
        'bundle',
        imageIndex([{ digest: pushed.digest, size: pushed.bytes.length }]),
        mediaTypes.ociIndex,
      ).expect(201);
      for (const reference of [pushed.digest, '1.0.0']) {
        const refused = await http.delete(`/v2/web/manifests/${reference}`);
        assert.equal(refused.status, 405, refused.text);
        assert.match(refused.text, /is still listed by the image index sha256:[0-9a-f]{64} in web/);
      }
      await http.get('/api/charts/web/1.0.0').expect(200);
    });
  });
}
