import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOciError } from '../../src/oci/errors.js';
import { mediaTypes } from '../../src/oci/media-types.js';
import { parseManifest } from '../../src/oci/parse-manifest.js';
import { parseByteRange, parseContentRange } from '../../src/oci/ranges.js';

const d = (c: string, mediaType = 'application/octet-stream') => ({
  mediaType,
  digest: `sha256:${c.repeat(64)}`,
  size: 3,
});
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const invalid = (pattern: RegExp) => (err: unknown) =>
  isOciError(err, 'MANIFEST_INVALID') && pattern.test(err.message);

test('an image manifest takes its media type from Content-Type and reports its config type as artifact type', () => {
  const parsed = parseManifest(
    json({ schemaVersion: 2, config: d('a', 'application/vnd.oci.image.config.v1+json'), layers: [d('b')] }),
    `${mediaTypes.ociManifest}; charset=utf-8`,
  );
  assert.equal(parsed.mediaType, mediaTypes.ociManifest);
  assert.equal(parsed.kind, 'manifest');
  assert.equal(parsed.artifactType, 'application/vnd.oci.image.config.v1+json');
  assert.equal(parsed.isChart, false);
  assert.equal(parsed.layers.length, 1);
});

test('a Helm config marks the manifest as a chart, and zero layers are accepted', () => {
  const parsed = parseManifest(
    json({ schemaVersion: 2, config: d('a', mediaTypes.helmConfig) }),
    mediaTypes.ociManifest,
  );
  assert.equal(parsed.isChart, true);
  assert.deepEqual(parsed.layers, []);
});

test('an index lists its manifests, a subject and an explicit artifactType are kept', () => {
  const parsed = parseManifest(
    json({
      schemaVersion: 2,
      mediaType: mediaTypes.ociIndex,
      artifactType: 'application/vnd.example+type',
      manifests: [d('c', mediaTypes.ociManifest)],
      subject: d('e', mediaTypes.ociManifest),
      annotations: { a: 'b' },
    }),
    'application/octet-stream',
  );
  assert.equal(parsed.kind, 'index');
  assert.equal(parsed.manifests.length, 1);
  assert.equal(parsed.subject?.digest, `sha256:${'e'.repeat(64)}`);
  assert.equal(parsed.artifactType, 'application/vnd.example+type');
  assert.deepEqual(parsed.annotations, { a: 'b' });
});

test('malformed manifests are MANIFEST_INVALID with the reason', () => {
  const ct = mediaTypes.ociManifest;
  assert.throws(() => parseManifest(Buffer.from('{nope'), ct), invalid(/not valid JSON/));
  assert.throws(() => parseManifest(json([]), ct), invalid(/not a JSON object/));
  assert.throws(
    () => parseManifest(json({ schemaVersion: 1, config: d('a') }), ct),
    invalid(/schemaVersion 2/),
  );
  assert.throws(() => parseManifest(json({ schemaVersion: 2 }), ct), invalid(/config must be a descriptor/));
  assert.throws(
    () => parseManifest(json({ schemaVersion: 2, config: { ...d('a'), digest: 'sha256:zz' } }), ct),
    invalid(/config: "sha256:zz" is not a valid digest/),
  );
  assert.throws(
    () => parseManifest(json({ schemaVersion: 2, config: { ...d('a'), size: -1 } }), ct),
    invalid(/size/),
  );
  assert.throws(
    () => parseManifest(json({ schemaVersion: 2, config: d('a') }), 'text/plain'),
    invalid(/unknown manifest type/),
  );
  assert.throws(
    () => parseManifest(json({ schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [] }), ct),
    invalid(/differs from its Content-Type/),
  );
  assert.throws(
    () =>
      parseManifest(
        json({ schemaVersion: 2, mediaType: 'application/vnd.oci.artifact.manifest.v1+json' }),
        undefined,
      ),
    invalid(/not supported/),
  );
});

test('a blob Range is one byte range inside the blob; anything else is ignored or unsatisfiable', () => {
  assert.deepEqual(parseByteRange('bytes=2-5', 10), { start: 2, end: 5 });
  assert.deepEqual(parseByteRange('bytes=7-', 10), { start: 7, end: 9 });
  assert.deepEqual(parseByteRange('bytes=-3', 10), { start: 7, end: 9 });
  assert.deepEqual(parseByteRange('bytes=8-100', 10), { start: 8, end: 9 });
  assert.equal(parseByteRange('bytes=10-', 10), 'unsatisfiable');
  assert.equal(parseByteRange('bytes=0-1,4-5', 10), undefined);
  assert.equal(parseByteRange('items=0-1', 10), undefined);
  assert.equal(parseByteRange(undefined, 10), undefined);
});

test('a chunk Content-Range is <start>-<end>, with or without the bytes unit and a total', () => {
  assert.deepEqual(parseContentRange('0-99'), { start: 0, end: 99 });
  assert.deepEqual(parseContentRange('bytes 100-199/*'), { start: 100, end: 199 });
  assert.equal(parseContentRange('5-4'), 'invalid');
  assert.equal(parseContentRange('abc'), 'invalid');
  assert.equal(parseContentRange(undefined), undefined);
});
