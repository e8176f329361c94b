import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareVersionsDesc, isValidVersion } from '../../src/charts/versions.js';
import { createSqliteMetadataStore } from '../../src/store/sqlite-metadata-store.js';

// Mostly small numbers, so that versions share a core and prereleases meet their releases.
const number = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '10', '11') },
  { weight: 1, arbitrary: fc.nat({ max: 100_000 }).map(String) },
);
const identifier = fc.oneof(
  number,
  fc.constantFrom('alpha', 'beta', 'rc', 'a-b', 'x', 'RC', 'a1', '1a', '-', '--'),
);
const version = fc
  .record({
    v: fc.boolean(),
    major: number,
    minor: fc.option(number),
    patch: fc.option(number),
    pre: fc.option(fc.array(identifier, { minLength: 1, maxLength: 6 })),
    build: fc.option(fc.array(identifier, { minLength: 1, maxLength: 2 })),
  })
  .map(({ v, major, minor, patch, pre, build }) =>
    [
      v ? 'v' : '',
      major,
      minor === null ? '' : `.${minor}`,
      minor !== null && patch !== null ? `.${patch}` : '',
      pre ? `-${pre.join('.')}` : '',
      build ? `+${build.join('.')}` : '',
    ].join(''),
  )
  .filter(isValidVersion);

test('the SQL sort key of migration 003 orders versions exactly as compareVersionsDesc does', () => {
  const store = createSqliteMetadataStore(':memory:');
  const insert = store.db.prepare(
    "INSERT INTO chart_versions (repository_id, name, version, filename, digest, size, created, metadata) VALUES (1, 'a', ?, ?, 'd', 1, 'c', '{}')",
  );
  const ordered = store.db.prepare(
    'SELECT v.version FROM chart_version_order o JOIN chart_versions v ON v.id = o.version_id ORDER BY o.sort_key DESC',
  );
  fc.assert(
    fc.property(fc.uniqueArray(version, { minLength: 1, maxLength: 12 }), (versions) => {
      store.db.exec('DELETE FROM chart_versions');
      for (const v of versions) insert.run(v, `a-${v}.tgz`);
      const rows = ordered.all() as Array<{ version: string }>;
      assert.deepEqual(
        rows.map((row) => row.version),
        [...versions].sort(compareVersionsDesc),
      );
    }),
    { numRuns: 1000 },
  );
  store.db.close();
});
