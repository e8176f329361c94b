import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { ChartMetadata } from '../../src/charts/metadata.js';
import { chartManifestJson, helmAnnotations, helmConfigJson, rfc3339 } from '../../src/oci/manifest.js';
import { mediaTypes } from '../../src/oci/media-types.js';

const demo: ChartMetadata = {
  name: 'demo',
  version: '0.1.0',
  description: 'A Helm chart for Kubernetes',
  apiVersion: 'v2',
  appVersion: '1.16.0',
  type: 'application',
};
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

test('the config of the reference example (§4.3) is reproduced byte for byte', () => {
  const config = helmConfigJson(demo);
  assert.equal(
    config,
    '{"name":"demo","version":"0.1.0","description":"A Helm chart for Kubernetes","apiVersion":"v2","appVersion":"1.16.0","type":"application"}',
  );
  assert.equal(Buffer.byteLength(config), 138);
  assert.match(sha(config), /^sha256:ff1a5b6b/);
});

test('the manifest of the reference example (§4.1) has Helm’s shape and its 579 bytes', () => {
  const config = helmConfigJson(demo);
  const layer = `sha256:${'7'.repeat(64)}`;
  const manifest = chartManifestJson({
    config: { mediaType: mediaTypes.helmConfig, digest: sha(config), size: 138 },
    layers: [{ mediaType: mediaTypes.helmChart, digest: layer, size: 4916 }],
    annotations: helmAnnotations(demo, '2026-11-23T07:25:05Z'),
  });
  assert.equal(
    manifest,
    `{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"${sha(config)}","size":138},` +
      `"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"${layer}","size":4916}],` +
      '"annotations":{"org.opencontainers.image.created":"2026-11-23T07:25:05Z",' +
      '"org.opencontainers.image.description":"A Helm chart for Kubernetes",' +
      '"org.opencontainers.image.title":"demo","org.opencontainers.image.version":"0.1.0"}}',
  );
  assert.equal(Buffer.byteLength(manifest), 579);
});

test('a signed chart’s manifest sorts its layers by digest, as Helm 3.18+ and 4 do (740 bytes)', () => {
  const chart = { mediaType: mediaTypes.helmChart, digest: `sha256:${'f'.repeat(64)}`, size: 4918 };
  const prov = { mediaType: mediaTypes.helmProvenance, digest: `sha256:${'0'.repeat(64)}`, size: 845 };
  const text = chartManifestJson({
    config: { mediaType: mediaTypes.helmConfig, digest: `sha256:${'c'.repeat(64)}`, size: 138 },
    layers: [chart, prov],
    annotations: helmAnnotations({ ...demo, version: '0.3.0' }, '2026-11-23T07:25:05Z'),
  });
  const parsed = JSON.parse(text) as { layers: Array<{ mediaType: string }> };
  assert.deepEqual(
    parsed.layers.map((l) => l.mediaType),
    [mediaTypes.helmProvenance, mediaTypes.helmChart],
  );
  assert.equal(Buffer.byteLength(text), 740);
});

test('the config keeps Go’s field order, leaves empty fields out and escapes like encoding/json', () => {
  const config = helmConfigJson({
    type: 'library',
    dependencies: [
      { name: 'db', version: '1.x', condition: 'db.enabled', 'import-values': [{ parent: 'p', child: 'c' }] },
    ],
    kubeVersion: '>=1.20',
    annotations: { zeta: 'z', alpha: 'a&b' },
    deprecated: true,
    appVersion: '1.10',
    tags: '',
    apiVersion: 'v2',
    icon: 'https://x/icon.png',
    maintainers: [{ name: 'Ann', email: 'ann@example.com' }, { email: 'bob@example.com' }],
    keywords: [],
    description: 'Uses <b> & "quotes"\nover two lines',
    version: '1.0.0',
    sources: ['https://git/x'],
    home: 'https://home',
    name: 'full',
  });
  assert.equal(
    config,
    '{"name":"full","home":"https://home","sources":["https://git/x"],"version":"1.0.0",' +
      '"description":"Uses \\u003cb\\u003e \\u0026 \\"quotes\\" over two lines",' +
      '"maintainers":[{"name":"Ann","email":"ann@example.com"},{"email":"bob@example.com"}],' +
      '"icon":"https://x/icon.png","apiVersion":"v2","appVersion":"1.10","deprecated":true,' +
      '"annotations":{"alpha":"a\\u0026b","zeta":"z"},"kubeVersion":"\\u003e=1.20",' +
      '"dependencies":[{"name":"db","version":"1.x","repository":"","condition":"db.enabled",' +
      '"import-values":[{"child":"c","parent":"p"}]}],"type":"library"}',
  );
});

test('annotations add url, source and authors, and chart annotations cannot replace title or version', () => {
  const annotations = helmAnnotations(
    {
      ...demo,
      home: 'https://home',
      sources: ['https://src/1', 'https://src/2'],
      maintainers: [{ name: 'Ann', email: 'ann@example.com' }, { name: 'Bob' }],
      annotations: {
        'org.opencontainers.image.title': 'other',
        'org.opencontainers.image.version': '9.9.9',
        'org.opencontainers.image.description': 'from the chart',
        'example.com/team': 'a',
      },
    },
    '2026-01-02T03:04:05Z',
  );
  assert.deepEqual(annotations, {
    'org.opencontainers.image.description': 'from the chart',
    'org.opencontainers.image.title': 'demo',
    'org.opencontainers.image.version': '0.1.0',
    'org.opencontainers.image.url': 'https://home',
    'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
    'org.opencontainers.image.source': 'https://src/1',
    'org.opencontainers.image.authors': 'Ann (ann@example.com), Bob',
    'example.com/team': 'a',
  });
});

test('generated bytes are stable: the same input gives the same config and manifest', () => {
  const build = () =>
    chartManifestJson({
      config: { mediaType: mediaTypes.helmConfig, digest: sha(helmConfigJson(demo)), size: 138 },
      layers: [{ mediaType: mediaTypes.helmChart, digest: `sha256:${'1'.repeat(64)}`, size: 10 }],
      annotations: helmAnnotations(
        { ...demo, annotations: { b: '2', a: '1' } },
        rfc3339('2026-11-23T07:25:05.678Z'),
      ),
    });
  assert.equal(build(), build());
  assert.equal(helmConfigJson(demo), helmConfigJson({ ...demo }));
  assert.equal(rfc3339('2026-11-23T07:25:05.678Z'), '2026-11-23T07:25:05Z');
});
