import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  digestHex,
  digestProblem,
  matchEndpoint,
  nameProblem,
  parseName,
  tagOfVersion,
  versionOfTag,
} from '../../src/oci/reference.js';

const hex = 'a'.repeat(64);

test('paths are matched from the right, so names may hold slashes', () => {
  assert.deepEqual(matchEndpoint(`team/apps/demo/blobs/sha256:${hex}`), {
    kind: 'blob',
    name: 'team/apps/demo',
    digest: `sha256:${hex}`,
  });
  assert.deepEqual(matchEndpoint('demo/manifests/0.1.0'), {
    kind: 'manifest',
    name: 'demo',
    reference: '0.1.0',
  });
  assert.deepEqual(matchEndpoint('a/b/tags/list'), { kind: 'tags', name: 'a/b' });
  assert.deepEqual(matchEndpoint(`a/referrers/sha256:${hex}`), {
    kind: 'referrers',
    name: 'a',
    digest: `sha256:${hex}`,
  });
});

test('upload paths are told apart from blob paths, with or without the trailing slash', () => {
  assert.deepEqual(matchEndpoint('team/demo/blobs/uploads/'), { kind: 'uploads', name: 'team/demo' });
  assert.deepEqual(matchEndpoint('team/demo/blobs/uploads'), { kind: 'uploads', name: 'team/demo' });
  assert.deepEqual(matchEndpoint('team/demo/blobs/uploads/abc-1'), {
    kind: 'upload',
    name: 'team/demo',
    id: 'abc-1',
  });
  // a repository segment may itself be called "blobs" or "manifests"
  assert.deepEqual(matchEndpoint('blobs/manifests/manifests/1.0.0'), {
    kind: 'manifest',
    name: 'blobs/manifests',
    reference: '1.0.0',
  });
});

test('paths that name no endpoint do not match', () => {
  for (const path of [
    '',
    'demo',
    'demo/tags',
    'demo/tags/other',
    'demo/manifests/',
    'demo/other/x',
    'blobs/uploads/',
  ]) {
    assert.equal(matchEndpoint(path), undefined, path);
  }
});

test('a name is up to three repository segments and the chart, in the OCI grammar', () => {
  assert.deepEqual(parseName('demo'), { name: 'demo', repository: '', chart: 'demo' });
  assert.deepEqual(parseName('team-a/apps/x/demo'), {
    name: 'team-a/apps/x/demo',
    repository: 'team-a/apps/x',
    chart: 'demo',
  });
  assert.equal(nameProblem('a__b/c.d-e'), undefined);
  assert.match(nameProblem('a/b/c/d/e') ?? '', /more than 4 components/);
  assert.match(nameProblem('Team/demo') ?? '', /not valid/);
  assert.match(nameProblem('team//demo') ?? '', /not valid/);
  assert.match(nameProblem('api/demo') ?? '', /reserved word "api"/);
  assert.equal(parseName('-bad'), undefined);
});

test('only sha256 digests of 64 lowercase hex digits are usable', () => {
  assert.equal(digestHex(`sha256:${hex}`), hex);
  assert.equal(digestProblem(`sha256:${hex}`), undefined);
  assert.match(digestProblem(`sha512:${'b'.repeat(128)}`) ?? '', /unsupported algorithm/);
  assert.match(digestProblem('sha256:zz') ?? '', /not a valid digest/);
  assert.match(digestProblem(`sha256:${hex.toUpperCase()}`) ?? '', /not a valid digest/);
});

test('a tag is the chart version with + written _, and back', () => {
  assert.equal(tagOfVersion('0.2.0+build.5'), '0.2.0_build.5');
  assert.equal(versionOfTag('0.2.0_build.5'), '0.2.0+build.5');
  assert.equal(versionOfTag('1.0.0-rc.1'), '1.0.0-rc.1');
});
