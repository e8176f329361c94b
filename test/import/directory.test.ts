// `charthouse import <dir>`: a folder of packages and ChartMuseum's local storage at depth 0 and
// 2, into SQLite and into PostgreSQL + S3, with re-runs, conflicts, filters and bad packages.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sha256Hex } from '../../src/charts/digest.js';
import { makeChart } from '../support/make-chart.js';
import { makeProv } from '../support/provenance.js';
import { pairs, readReport, runCommand } from './run-command.js';
import { storedVersions, type TargetStore, targetStore, tempDir } from './stores.js';

/** Writes `<dir>/<name>-<version>.tgz` (and its .prov when `signed`); resolves to the package bytes. */
async function writePackage(dir: string, name: string, version: string, signed = false, values?: string) {
  await mkdir(dir, { recursive: true });
  const tgz = await makeChart({ name, version, values });
  await writeFile(join(dir, `${name}-${version}.tgz`), tgz);
  if (signed) await writeFile(join(dir, `${name}-${version}.tgz.prov`), makeProv(name, version, tgz));
  return tgz;
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe(`import from ChartMuseum storage into ${kind}`, () => {
    test('depth 0: every package and .prov is imported, index-cache.yaml is ignored, a re-run skips all', async (t) => {
      const source = await tempDir(t, 'charthouse-cm-');
      const alpha = await writePackage(source, 'alpha', '1.0.0', true);
      await writePackage(source, 'alpha', '1.1.0');
      await writePackage(source, 'beta', '0.1.0+build.7');
      await writeFile(join(source, 'index-cache.yaml'), 'not: [an index\n');
      const store = await targetStore(t, kind);

      const first = await runCommand('import', [source, '--into', 'team/apps', '--json', ...store.flags]);
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(pairs(readReport(first).imported), [
        'alpha 1.0.0',
        'alpha 1.1.0',
        'beta 0.1.0+build.7',
      ]);
      const held = await storedVersions(store, 'team/apps');
      assert.equal(held.versions.get('alpha 1.0.0'), sha256Hex(alpha));
      assert.deepEqual(held.signed, ['alpha 1.0.0']);

      const again = await runCommand('import', [source, '--into', 'team/apps', '--json', ...store.flags]);
      assert.equal(again.code, 0, again.stderr);
      const report = readReport(again);
      assert.equal(report.imported.length, 0);
      assert.equal(report.skipped.length, 3);
      assert.equal((await storedVersions(store, 'team/apps')).versions.size, 3);
    });

    test('depth 2: each directory two levels down is a repository, under --into when given', async (t) => {
      const source = await tempDir(t, 'charthouse-cm2-');
      await writePackage(join(source, 'org-a', 'team-1'), 'web', '1.0.0');
      await writePackage(join(source, 'org-a', 'team-1'), 'web', '1.0.1');
      await writePackage(join(source, 'org-b', 'ops'), 'db', '2.0.0', true);
      await writeFile(join(source, 'org-b', 'ops', 'index-cache.yaml'), 'apiVersion: v1\n');
      const store = await targetStore(t, kind);

      const flat = await runCommand('import', [source, '--into', 'flat', ...store.flags]);
      assert.equal(flat.code, 1);
      assert.match(
        flat.stderr,
        /no \.tgz packages in .* at depth 0; there are some at depth 2: pass --depth/,
      );

      const run = await runCommand('import', [source, '--depth', '2', '--into', 'mirror', ...store.flags]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /imported 3, skipped 0/);
      assert.deepEqual([...(await storedVersions(store, 'mirror/org-a/team-1')).versions.keys()].sort(), [
        'web 1.0.0',
        'web 1.0.1',
      ]);
      assert.deepEqual((await storedVersions(store, 'mirror/org-b/ops')).signed, ['db 2.0.0']);

      const bare = await runCommand('import', [source, '--depth', '2', ...store.flags]);
      assert.equal(bare.code, 0, bare.stderr);
      assert.equal((await storedVersions(store, 'org-a/team-1')).versions.size, 2);
    });
  });
}

describe('import decisions', () => {
  test('other bytes under a stored version are a conflict left alone, replaced with --overwrite', async (t) => {
    const store = await targetStore(t, 'sqlite');
    const first = await tempDir(t, 'charthouse-first-');
    const original = await writePackage(first, 'app', '1.0.0');
    assert.equal((await runCommand('import', [first, '--into', 'apps', ...store.flags])).code, 0);

    const second = await tempDir(t, 'charthouse-second-');
    const changed = await writePackage(second, 'app', '1.0.0', false, 'replicaCount: 3\n');
    const conflict = await runCommand('import', [second, '--into', 'apps', ...store.flags]);
    assert.equal(conflict.code, 0, 'a conflict alone is not a failure');
    assert.match(conflict.stdout, /conflicting 1/);
    assert.match(conflict.stdout, /app 1\.0\.0 in apps: stored with other bytes .*--overwrite replaces it/);
    assert.equal((await storedVersions(store, 'apps')).versions.get('app 1.0.0'), sha256Hex(original));

    const forced = await runCommand('import', [second, '--into', 'apps', '--overwrite', ...store.flags]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /imported 1/);
    assert.equal((await storedVersions(store, 'apps')).versions.get('app 1.0.0'), sha256Hex(changed));
  });

  test('--include and --exclude pick chart names; --dry-run stores nothing', async (t) => {
    const store = await targetStore(t, 'sqlite');
    const source = await tempDir(t, 'charthouse-filter-');
    for (const name of ['api', 'api-gateway', 'web']) await writePackage(source, name, '1.0.0');

    const dry = await runCommand('import', [source, '--into', 'f', '--dry-run', '--json', ...store.flags]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(readReport(dry).imported.length, 3);
    assert.equal((await storedVersions(store, 'f')).versions.size, 0);

    const args = [source, '--into', 'f', '--include', 'api*,web', '--exclude', '*-gateway', '--json'];
    const run = await runCommand('import', [...args, ...store.flags]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(pairs(readReport(run).imported), ['api 1.0.0', 'web 1.0.0']);
    assert.equal(readReport(run).excluded, 1);
  });

  test('a package the upload path refuses fails with its reason, the others are imported, exit 1', async (t) => {
    const store = await targetStore(t, 'sqlite');
    const source = await tempDir(t, 'charthouse-bad-');
    await writePackage(source, 'good', '1.0.0');
    await writeFile(join(source, 'broken-1.0.0.tgz'), 'this is not gzip');
    const tgz = await writePackage(source, 'lying', '1.0.0');
    // a provenance file that signs other bytes: refused as a push would be
    await writeFile(
      join(source, 'lying-1.0.0.tgz.prov'),
      makeProv('lying', '1.0.0', Buffer.concat([tgz, tgz])),
    );

    const run = await runCommand('import', [source, '--into', 'b', ...store.flags]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /imported 1, skipped 0 \(already stored\), conflicting 0, failed 2/);
    assert.match(run.stdout, /broken-1\.0\.0\.tgz in b: .*gzip|broken-1\.0\.0\.tgz in b: .*header/);
    assert.match(run.stdout, /lying 1\.0\.0 in b: the provenance file signs another package/);
    assert.deepEqual([...(await storedVersions(store, 'b')).versions.keys()], ['good 1.0.0']);
  });

  test('command lines it cannot use exit 2 with the reason', async (t) => {
    const store: TargetStore = await targetStore(t, 'sqlite');
    const source = await tempDir(t, 'charthouse-usage-');
    const cases: Array<[string[], RegExp]> = [
      [[source], /--into is required/],
      [[source, '--into', 'UPPER'], /--into "UPPER"/],
      [
        [source, '--into', 'x', '--concurrency', '0'],
        /--concurrency "0": expected a whole number from 1 to 64/,
      ],
      [['ftp://example.com/charts', '--into', 'x'], /a source is an http\(s\):\/\/ Helm repository/],
      [[], /missing <source>/],
    ];
    for (const [args, message] of cases) {
      const run = await runCommand('import', [...args, ...store.flags]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    const missing = await runCommand('import', [join(source, 'nope'), '--into', 'x', ...store.flags]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*nope: no such directory/);
  });
});

describe('progress', () => {
  test('a bar with versions and bytes is drawn on a terminal, nothing in a pipe or CI', async (t) => {
    const { runImportCommand } = await import('../../src/import/import-command.js');
    const source = await tempDir(t, 'charthouse-progress-');
    for (let i = 0; i < 3; i++) await writePackage(source, 'p', `1.${i}.0`);
    const run = async (isTTY: boolean, env: Record<string, string>) => {
      const store = await targetStore(t, 'sqlite');
      let drawn = '';
      const io = {
        env,
        stdout: { write: () => true },
        stderr: { isTTY, columns: 100, write: (text: string) => (drawn += text) },
      };
      assert.equal(await runImportCommand([source, '--into', 'p', ...store.flags], io), 0);
      return drawn;
    };
    assert.match(await run(true, {}), /importing \[#+\] 3\/3 \d+ B /);
    assert.equal(await run(false, {}), '');
    assert.equal(await run(true, { CI: 'true' }), '');
  });
});
