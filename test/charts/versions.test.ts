import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  compareVersionsDesc,
  isPrerelease,
  isValidVersion,
  resolveVersion,
  sortVersionsDesc,
  toSemver,
} from '../../src/charts/versions.js';

describe('toSemver', () => {
  test('lenient versions are filled in to three parts', () => {
    assert.equal(toSemver('v1.2.3')?.version, '1.2.3');
    assert.equal(toSemver('1.0')?.version, '1.0.0');
    assert.equal(toSemver('1')?.version, '1.0.0');
    assert.equal(toSemver('1.2-beta.1')?.version, '1.2.0-beta.1');
  });

  test('versions Helm rejects do not parse', () => {
    for (const bad of [
      '1.2.3.4',
      'release-1.61',
      'latest',
      '',
      'v',
      '1.0.0-01',
      `1.0.0-${'a'.repeat(200)}`,
    ]) {
      assert.equal(toSemver(bad), undefined, bad);
      assert.equal(isValidVersion(bad), false, bad);
    }
  });
});

describe('compareVersionsDesc', () => {
  test('1.10.0 sorts before 1.9.0', () => {
    assert.ok(compareVersionsDesc('1.10.0', '1.9.0') < 0);
    assert.ok(compareVersionsDesc('1.9.0', '1.10.0') > 0);
  });

  test('a release sorts before its prerelease', () => {
    assert.ok(compareVersionsDesc('1.0.0', '1.0.0-rc.1') < 0);
    assert.ok(compareVersionsDesc('1.0.0-rc.1', '1.0.0') > 0);
  });

  test('v1.2.0 sorts before 1.1.0', () => {
    assert.ok(compareVersionsDesc('v1.2.0', '1.1.0') < 0);
    assert.ok(compareVersionsDesc('1.1.0', 'v1.2.0') > 0);
  });

  test('a version equals itself', () => {
    assert.equal(compareVersionsDesc('1.2.3', '1.2.3'), 0);
  });

  test('a version that does not parse sorts after every valid one', () => {
    assert.ok(compareVersionsDesc('release-1.61', '0.0.1') > 0);
    assert.ok(compareVersionsDesc('0.0.1', 'release-1.61') < 0);
  });
});

describe('sortVersionsDesc', () => {
  test('prereleases are ordered by SemVer precedence below their release', () => {
    const sorted = sortVersionsDesc(
      ['1.0.0-alpha', '1.0.0-rc.1', '1.0.0', '1.0.0-beta.11', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta'],
      (v) => v,
    );
    assert.deepEqual(sorted, [
      '1.0.0',
      '1.0.0-rc.1',
      '1.0.0-beta.11',
      '1.0.0-beta.2',
      '1.0.0-beta',
      '1.0.0-alpha.1',
      '1.0.0-alpha',
    ]);
  });

  test('items are sorted newest first by the version they carry, without changing the input', () => {
    const items = [{ v: '0.9.0' }, { v: '1.10.0' }, { v: 'v1.2.0' }, { v: '1.9.0' }, { v: 'bad' }];
    const sorted = sortVersionsDesc(items, (item) => item.v);
    assert.deepEqual(
      sorted.map((item) => item.v),
      ['1.10.0', '1.9.0', 'v1.2.0', '0.9.0', 'bad'],
    );
    assert.deepEqual(
      items.map((item) => item.v),
      ['0.9.0', '1.10.0', 'v1.2.0', '1.9.0', 'bad'],
    );
  });

  test('versions that are equal in precedence still sort in a stable total order', () => {
    const one = sortVersionsDesc(['1.0', '1.0.0', 'v1.0.0'], (v) => v);
    const other = sortVersionsDesc(['v1.0.0', '1.0.0', '1.0'], (v) => v);
    assert.deepEqual(one, other);
    assert.equal(new Set(one).size, 3);
  });
});

describe('isPrerelease', () => {
  test('tells prereleases from releases', () => {
    assert.equal(isPrerelease('1.0.0-rc.1'), true);
    assert.equal(isPrerelease('1.0.0'), false);
    assert.equal(isPrerelease('1.0.0+build.1'), false);
    assert.equal(isPrerelease('not-a-version'), false);
  });
});

describe('resolveVersion', () => {
  const stored = ['1.0.0', '1.1.0', '1.2.0', '1.2.7', '1.5.3', '1.9.0-rc.1', '2.0.0', '2.1.0-beta.1'];

  test('an exact string match wins', () => {
    assert.deepEqual(resolveVersion(stored, '1.2.0'), { version: '1.2.0' });
  });

  test('when both 1.0 and 1.0.0 are stored each resolves to itself', () => {
    const both = ['1.0', '1.0.0'];
    assert.deepEqual(resolveVersion(both, '1.0'), { version: '1.0' });
    assert.deepEqual(resolveVersion(both, '1.0.0'), { version: '1.0.0' });
    assert.deepEqual(resolveVersion(['1.0.0', '1.0'], '1.0'), { version: '1.0' });
  });

  test('a full version finds the stored spelling with a leading v', () => {
    assert.deepEqual(resolveVersion(['2.0.0', 'v1.2.3', '1.0.0'], '1.2.3'), { version: 'v1.2.3' });
    assert.deepEqual(resolveVersion(['2.0.0', '1.2.3', '1.0.0'], 'v1.2.3'), { version: '1.2.3' });
  });

  test('latest is the highest version that is not a prerelease', () => {
    assert.deepEqual(resolveVersion(stored, 'latest'), { version: '2.0.0' });
  });

  test('latest with only prereleases stored resolves to nothing', () => {
    assert.equal(resolveVersion(['1.0.0-rc.1', '2.0.0-beta.1'], 'latest'), undefined);
  });

  test('latest with nothing stored resolves to nothing', () => {
    assert.equal(resolveVersion([], 'latest'), undefined);
  });

  test('a chart version literally named latest is matched exactly first', () => {
    assert.deepEqual(resolveVersion(['latest', '1.0.0'], 'latest'), { version: 'latest' });
  });

  test('^1.2 picks the highest 1.x at or above 1.2, skipping prereleases', () => {
    assert.deepEqual(resolveVersion(stored, '^1.2'), { version: '1.5.3' });
  });

  test('~1.2.0 picks the highest 1.2.x', () => {
    assert.deepEqual(resolveVersion(stored, '~1.2.0'), { version: '1.2.7' });
  });

  test('>=1.0.0 <2 picks the highest version below 2', () => {
    assert.deepEqual(resolveVersion(stored, '>=1.0.0 <2'), { version: '1.5.3' });
  });

  test('a range is matched against the lenient stored spellings too', () => {
    assert.deepEqual(resolveVersion(['v1.4.0', '1.3.0'], '^1.0.0'), { version: 'v1.4.0' });
  });

  test('a range that matches nothing resolves to nothing', () => {
    assert.equal(resolveVersion(stored, '^3'), undefined);
  });

  test('a full version that is not stored resolves to nothing, not to another version', () => {
    assert.equal(resolveVersion(stored, '1.3.0'), undefined);
    assert.equal(resolveVersion(['1.0.0', '2.0.0'], '1.5.0'), undefined);
    assert.equal(resolveVersion(['0.1.0'], '0.1.1'), undefined);
  });

  test('a reference that is neither a version nor a range is an error', () => {
    const result = resolveVersion(stored, 'not a range!!');
    assert.ok(result !== undefined && 'error' in result, `expected an error, got ${JSON.stringify(result)}`);
    assert.match(result.error, /"not a range!!" is neither a version nor a SemVer range/);
  });

  test('a partial version like 1.2 is a range over 1.2.x even when 1.2.0 is stored', () => {
    // Helm and ChartMuseum read `--version 1.2` as the constraint 1.2.x and take the highest match;
    // only the exact string "1.2" may short-circuit that. The answer must not depend on whether
    // 1.2.0 happens to be stored.
    assert.deepEqual(resolveVersion(['1.2.7', '1.2.0', '1.1.0'], '1.2'), { version: '1.2.7' });
    assert.deepEqual(resolveVersion(['1.2.7', '1.1.0'], '1.2'), { version: '1.2.7' });
  });
});
