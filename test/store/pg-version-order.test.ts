import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compareVersionsDesc, isValidVersion } from '../../src/charts/versions.js';
import { versionSortKey } from '../../src/store/pg-version-order.js';
import { openPostgres } from '../../src/store/postgres.js';
import { freshDatabase } from '../support/engines.js';

// As in sqlite-version-order.test.ts: mostly small numbers, so that versions share a core and
// prereleases meet their releases.
const number = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '10', '11') },
  { weight: 1, arbitrary: fc.nat({ max: 100_000 }).map(String) },
);
const identifier = fc.oneof(
  number,
  fc.constantFrom('alpha', 'beta', 'rc', 'a-b', 'x', 'RC', 'a1', '1a', '-', '--', '01'),
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

test('PostgreSQL orders the sort keys of pg-version-order.ts exactly as compareVersionsDesc does', async (t) => {
  const pool = await openPostgres(await freshDatabase(), { max: 1 });
  t.after(() => pool.end());
  // the column's collation, not the database's locale: the order must hold on any server
  const ordered = async (versions: string[]) =>
    (
      await pool.query<{ version: string }>(
        `SELECT version FROM unnest($1::text[], $2::text[]) AS t (version, key)
         ORDER BY key COLLATE "C" DESC`,
        [versions, versions.map(versionSortKey)],
      )
    ).rows.map((row) => row.version);
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(version, { minLength: 1, maxLength: 12 }), async (versions) => {
      assert.deepEqual(await ordered(versions), [...versions].sort(compareVersionsDesc));
    }),
    { numRuns: 1000 },
  );
  // a version that does not parse (none is stored: publish validates) still has a place, last
  assert.deepEqual(await ordered(['not-semver', '0.0.1-alpha']), ['0.0.1-alpha', 'not-semver']);
});
