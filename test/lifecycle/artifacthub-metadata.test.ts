import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArtifactHubFile, renderArtifactHubFile } from '../../src/lifecycle/artifacthub-metadata.js';
import { artifactHubArtifact, artifactHubMediaTypes } from '../../src/lifecycle/artifacthub-oci.js';

const ID = 'c4b5b1a2-9f55-4c2c-8d1e-0a7b5e9f1234';

test('artifacthub-repo.yml keeps repositoryID, owners and ignore, and renders them back in that order', () => {
  const text = `# our repo\nignore:\n  - name: old\n  - name: web\n    version: ^0\\.\nowners:\n  - name: Ann\n    email: ann@example.com\nrepositoryID: ${ID.toUpperCase()}\n`;
  const metadata = parseArtifactHubFile(text);
  assert.deepEqual(metadata, {
    repositoryID: ID,
    owners: [{ name: 'Ann', email: 'ann@example.com' }],
    ignore: [{ name: 'old' }, { name: 'web', version: '^0\\.' }],
  });
  const rendered = renderArtifactHubFile(metadata);
  assert.match(rendered, /^repositoryID: c4b5b1a2/);
  assert.deepEqual(parseArtifactHubFile(rendered), metadata);
});

test('a bad artifacthub-repo.yml is refused with what is wrong in it', () => {
  const refused = (text: string, problem: string) =>
    assert.throws(() => parseArtifactHubFile(text), {
      code: 'SETTING_INVALID',
      message: `artifacthub-repo.yml is not valid: ${problem}`,
    });
  refused('repositoryID: [', 'it is not YAML: unexpected end of the stream within a flow collection (2:1)');
  refused('- a\n- b\n', 'it must be a mapping with repositoryID, owners or ignore');
  refused('repositoryId: x\n', 'unknown field "repositoryId" (the fields are repositoryID, owners, ignore)');
  refused('repositoryID: 1234\n', 'repositoryID must be the UUID Artifact Hub shows, not "1234"');
  refused('owners:\n  name: Ann\n', 'owners must be a list');
  refused('owners:\n  - name: Ann\n', 'owners[0].email must be an email address');
  refused(
    'owners:\n  - email: a@b.c\n    mail: x\n',
    'owners[0] has an unknown field "mail" (expected name, email)',
  );
  refused('ignore:\n  - version: "1"\n', 'ignore[0].name must be a chart name');
  refused(
    'ignore:\n  - name: web\n    version: "(["\n',
    'ignore[0].version is not a valid regular expression: Invalid regular expression: /([/: Unterminated character class',
  );
  refused(
    '# nothing\n{}\n',
    'it sets none of repositoryID, owners, ignore (use --clear to remove the metadata)',
  );
  refused(`repositoryID: ${ID}\n#${'x'.repeat(70_000)}\n`, 'it is larger than 65536 bytes');
});

test('the artifacthub.io artifact carries the file as its one layer, with Artifact Hub media types', () => {
  const one = artifactHubArtifact({ repositoryID: ID }, '2026-01-01T00:00:00.000Z');
  const doc = JSON.parse(one.manifest.bytes.toString('utf8'));
  assert.equal(doc.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(doc.config.mediaType, 'application/vnd.cncf.artifacthub.config.v1+yaml');
  assert.equal(doc.config.size, 0);
  assert.equal(doc.layers.length, 1);
  assert.equal(doc.layers[0].mediaType, artifactHubMediaTypes.layer);
  assert.equal(doc.layers[0].mediaType, 'application/vnd.cncf.artifacthub.repository-metadata.layer.v1.yaml');
  const layer = one.blobs.get(doc.layers[0].digest.slice('sha256:'.length));
  assert.equal(layer?.toString('utf8'), `repositoryID: ${ID}\n`);
  assert.equal(doc.layers[0].size, layer?.length);
  // the same metadata gives the same bytes at any time; other metadata another digest
  assert.equal(
    artifactHubArtifact({ repositoryID: ID }, '2027-01-01T00:00:00.000Z').manifest.digest,
    one.manifest.digest,
  );
  assert.notEqual(
    artifactHubArtifact({ owners: [{ email: 'a@b.c' }] }, '').manifest.digest,
    one.manifest.digest,
  );
});
