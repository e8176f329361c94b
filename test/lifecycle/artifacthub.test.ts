// Artifact Hub metadata per repository: set by server admins, served beside index.yaml and as the
// artifacthub.io OCI tag with Artifact Hub's media types, read like the repository itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { binary, putManifest, sha256 } from '../oci/oci-client.js';
import { adminTestApp, basic, expectError, ROOT_PASSWORD } from '../routes/admin-fixtures.js';
import { makeChart } from '../support/make-chart.js';

const ID = 'c4b5b1a2-9f55-4c2c-8d1e-0a7b5e9f1234';
const FILE = `repositoryID: ${ID}\nowners:\n  - name: Ann\n    email: ann@example.com\n`;
const SETTINGS = '/api/admin/repository/artifacthub?path=team';
const ROOT = basic('root', ROOT_PASSWORD);

async function withMetadata(t: Parameters<typeof adminTestApp>[0], visibility = 'public') {
  const app = await adminTestApp(t, { auth: 'on' });
  await app.root.post('/api/admin/repositories', { path: 'team', visibility }).expect(201);
  const set = await app.http
    .put(SETTINGS)
    .set('authorization', ROOT)
    .set('content-type', 'application/yaml')
    .send(FILE);
  assert.equal(set.status, 200, set.text);
  return app;
}

test('artifacthub-repo.yml is served beside index.yaml once set, 404 while unset', async (t) => {
  const { http, root } = await withMetadata(t);
  const res = await http.get('/team/artifacthub-repo.yml').expect(200);
  assert.equal(res.headers['content-type'], 'application/x-yaml');
  assert.equal(res.text, FILE);
  expectError(
    await http.get('/artifacthub-repo.yml'),
    404,
    'artifacthub-repo.yml not found in the root repository: it has no Artifact Hub metadata',
  );
  expectError(await root.get('/ghost/artifacthub-repo.yml'), 404, 'repository "ghost" does not exist');
  // a JSON body sets the same fields; DELETE clears them
  const json = await root.put(SETTINGS, { ignore: [{ name: 'old' }] }).expect(200);
  assert.deepEqual(json.body.settings.artifactHub, { ignore: [{ name: 'old' }] });
  assert.equal((await http.get('/team/artifacthub-repo.yml').expect(200)).text, 'ignore:\n  - name: old\n');
  await root.delete(SETTINGS).expect(200);
  expectError(
    await http.get('/team/artifacthub-repo.yml'),
    404,
    'artifacthub-repo.yml not found in repository "team": it has no Artifact Hub metadata',
  );
});

test('bad metadata is refused with 400 and what is wrong, and only server admins set it', async (t) => {
  const { root, dev, http } = await withMetadata(t);
  expectError(
    await root.put(SETTINGS, { repositoryID: 'abc' }),
    400,
    'artifacthub-repo.yml is not valid: repositoryID must be the UUID Artifact Hub shows, not "abc"',
  );
  const yamlBody = await http
    .put(SETTINGS)
    .set('authorization', ROOT)
    .set('content-type', 'application/yaml')
    .send('owners: [{name: Ann}]\n');
  expectError(yamlBody, 400, 'artifacthub-repo.yml is not valid: owners[0].email must be an email address');
  expectError(await dev.put(SETTINGS, { ignore: [{ name: 'x' }] }), 403, 'forbidden');
  // nothing changed
  assert.equal((await http.get('/team/artifacthub-repo.yml').expect(200)).text, FILE);
});

test('a private repository’s metadata is read only by those who may read the repository', async (t) => {
  const { http, root, anonymous } = await withMetadata(t, 'private');
  expectError(await anonymous.get('/team/artifacthub-repo.yml'), 401);
  assert.equal((await root.get('/team/artifacthub-repo.yml').expect(200)).text, FILE);
  const oci = await http.get('/v2/team/web/manifests/artifacthub.io');
  assert.equal(oci.status, 401);
});

test('the artifacthub.io tag of every chart serves the metadata with Artifact Hub’s media types', async (t) => {
  const { http, root } = await withMetadata(t);
  const tgz = await makeChart({ name: 'web', version: '1.0.0' });
  await http
    .post('/api/team/charts')
    .set('authorization', ROOT)
    .set('content-type', 'application/octet-stream')
    .send(tgz)
    .expect(201);
  const res = await http.get('/v2/team/web/manifests/artifacthub.io').expect(200);
  assert.equal(res.headers['content-type'], 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(res.headers['docker-content-digest'], sha256(res.text));
  const manifest = JSON.parse(res.text);
  assert.equal(manifest.config.mediaType, 'application/vnd.cncf.artifacthub.config.v1+yaml');
  assert.deepEqual(
    manifest.layers.map((l: { mediaType: string }) => l.mediaType),
    ['application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml'],
  );
  const layer = await http
    .get(`/v2/team/web/blobs/${manifest.layers[0].digest}`)
    .buffer(true)
    .parse(binary)
    .expect(200);
  assert.equal(layer.body.toString('utf8'), FILE);
  const config = await http
    .get(`/v2/team/web/blobs/${manifest.config.digest}`)
    .buffer(true)
    .parse(binary)
    .expect(200);
  assert.equal(config.body.length, 0);
  await http.head(`/v2/team/web/blobs/${manifest.layers[0].digest}`).expect(200);
  // by digest too, as clients resolve a tag and then fetch the digest
  const byDigest = await http
    .get(`/v2/team/web/manifests/${res.headers['docker-content-digest']}`)
    .expect(200);
  assert.equal(byDigest.text, res.text);
  // no push takes the tag from the metadata
  const push = await putManifest(
    { ...http, put: (url: string) => http.put(url).set('authorization', ROOT) } as typeof http,
    'team/web',
    'artifacthub.io',
    Buffer.from(res.text),
  );
  assert.equal(push.status, 403);
  assert.equal(
    push.body.errors[0].message,
    'the tag "artifacthub.io" of team/web serves the Artifact Hub metadata of repository "team": change it with charthouse repo set-artifacthub',
  );
  await root.delete(SETTINGS).expect(200);
  const gone = await http.get('/v2/team/web/manifests/artifacthub.io');
  assert.equal(gone.status, 404);
  assert.equal(gone.body.errors[0].code, 'MANIFEST_UNKNOWN');
  await http.get(`/v2/team/web/blobs/${manifest.layers[0].digest}`).expect(404);
});
