import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sha256 as ociDigest } from '../oci/oci-client.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { binaryParser, makeProv } from '../support/provenance.js';

type Http = Awaited<ReturnType<typeof buildTestApp>>['http'];

async function publish(http: Http, repository: string): Promise<{ tgz: Buffer; prov: string }> {
  const tgz = await makeChart({ name: 'dl', version: '1.2.3+build.4' });
  const prov = makeProv('dl', '1.2.3+build.4', tgz);
  const api = repository ? `/api/${repository}` : '/api';
  await http.post(`${api}/charts`).set('content-type', 'application/octet-stream').send(tgz).expect(201);
  await http
    .post(`${api}/prov`)
    .set('content-type', 'application/octet-stream')
    .send(Buffer.from(prov))
    .expect(201);
  return { tgz, prov };
}

for (const repository of ['', 'team/apps']) {
  const base = repository ? `/${repository}` : '';
  for (const [file, kind] of [
    ['dl-1.2.3+build.4.tgz', 'package'],
    ['dl-1.2.3+build.4.tgz.prov', 'provenance'],
  ] as const) {
    for (const method of ['get', 'head'] as const) {
      test(`${method.toUpperCase()} of a ${kind} in ${repository || 'the root repository'} is an attachment named ${file}, never sniffed`, async (t) => {
        const { http } = await buildTestApp(t);
        const { tgz, prov } = await publish(http, repository);
        const res = await http[method](`${base}/charts/${file}`).buffer(true).parse(binaryParser).expect(200);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['content-disposition'], `attachment; filename="${file}"`);
        const bytes = kind === 'package' ? tgz : Buffer.from(prov);
        assert.equal(Number(res.headers['content-length']), bytes.length);
        if (method === 'get') assert.ok((res.body as Buffer).equals(bytes));
      });
    }
  }
}

test('an unknown file answers 404 without the download headers', async (t) => {
  const { http } = await buildTestApp(t);
  const res = await http.get('/charts/none-1.0.0.tgz').expect(404);
  assert.equal(res.headers['content-disposition'], undefined);
});

for (const method of ['get', 'head'] as const) {
  test(`${method.toUpperCase()} of an OCI blob is an attachment named after its digest, never sniffed, ranges too`, async (t) => {
    const { http } = await buildTestApp(t);
    const blob = Buffer.from('<html><script>alert(1)</script></html>');
    const digest = ociDigest(blob);
    await http
      .post(`/v2/team/app/blobs/uploads/?digest=${digest}`)
      .set('content-type', 'application/octet-stream')
      .send(blob)
      .expect(201);
    const hex = digest.slice('sha256:'.length);
    const whole = await http[method](`/v2/team/app/blobs/${digest}`)
      .buffer(true)
      .parse(binaryParser)
      .expect(200);
    const ranged = await http[method](`/v2/team/app/blobs/${digest}`)
      .set('range', 'bytes=0-5')
      .buffer(true)
      .parse(binaryParser)
      .expect(206);
    for (const res of [whole, ranged]) {
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['content-disposition'], `attachment; filename="sha256_${hex}"`);
      assert.equal(res.headers['content-type'], 'application/octet-stream');
    }
    if (method === 'get') assert.ok((whole.body as Buffer).equals(blob));
    const missing = await http[method](`/v2/team/app/blobs/sha256:${'0'.repeat(64)}`).expect(404);
    assert.equal(missing.headers['content-disposition'], undefined);
  });
}
