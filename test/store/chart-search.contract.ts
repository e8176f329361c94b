import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChartMetadata } from '../../src/charts/metadata.js';
import type {
  ChartSearchPage,
  ChartSearchQuery,
  MetadataStore,
  VersionDetails,
} from '../../src/store/metadata-store.js';

type Open = (t: { after(fn: () => unknown): void }) => Promise<MetadataStore>;

function chart(
  name: string,
  version: string,
  fields: Partial<ChartMetadata> = {},
  created = 1,
): VersionDetails {
  return {
    name,
    version,
    digest: `${name}-${version}`.padEnd(64, '0').slice(0, 64),
    size: 100,
    created: `2026-01-${String(created).padStart(2, '0')}T00:00:00.000Z`,
    metadata: { name, version, apiVersion: 'v2', ...fields },
  };
}

const everything: ChartSearchQuery = { prerelease: false, deprecated: true, offset: 0, limit: 50 };

/** `[repository, name, version]` of each hit, for exact comparisons. */
function hits(page: ChartSearchPage): string[][] {
  return page.hits.map((h) => [h.repository, h.latest.name, h.latest.version]);
}

/** The searchCharts part of the MetadataStore contract; called by metadataStoreContract. */
export function chartSearchContract(open: Open): void {
  describe('chart search', () => {
    async function seeded(t: Parameters<Open>[0], charts: Array<[string, VersionDetails]>) {
      const s = await open(t);
      for (const [repository, version] of charts)
        await s.publish({ repository, chart: version, overwrite: false });
      return s;
    }

    test('words match the start of words in names, descriptions and keywords, one hit per chart', async (t) => {
      const s = await seeded(t, [
        ['', chart('nginx', '1.0.0', { description: 'A web server' })],
        ['', chart('nginx', '1.1.0', { description: 'A web server' })],
        [
          'team',
          chart('redis', '7.0.0', { description: 'In-memory store', keywords: ['cache', 'database'] }),
        ],
        ['team', chart('postgres-operator', '2.0.0', { description: 'Runs PostgreSQL clusters' })],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'ngi' })), [['', 'nginx', '1.1.0']]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'WEB serv' })), [
        ['', 'nginx', '1.1.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'cach' })), [
        ['team', 'redis', '7.0.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'operator' })), [
        ['team', 'postgres-operator', '2.0.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'web cache' })), []);
      const page = await s.searchCharts({ ...everything, text: 'nginx' });
      assert.equal(page.total, 1);
      assert.equal(page.hits[0]?.versions, 2);
      assert.equal(page.hits[0]?.updated, '2026-01-01T00:00:00.000Z');
      assert.equal(page.hits[0]?.latest.metadata.description, 'A web server');
    });

    test('the latest version follows Helm SemVer precedence, not publish or string order', async (t) => {
      const versions = ['1.10.0-rc.10', '1.9.0', 'v1.10.0', '1.10.0-rc.9', '2.0.0-rc.1', '1.2'];
      const s = await seeded(
        t,
        versions.map((v) => ['', chart('app', v)]),
      );
      assert.deepEqual(hits(await s.searchCharts(everything)), [['', 'app', 'v1.10.0']]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, prerelease: true })), [
        ['', 'app', '2.0.0-rc.1'],
      ]);
      await s.deleteVersion('', 'app', '2.0.0-rc.1');
      assert.deepEqual(hits(await s.searchCharts({ ...everything, prerelease: true })), [
        ['', 'app', 'v1.10.0'],
      ]);
    });

    test('charts with prereleases only are found only when prereleases are asked for', async (t) => {
      const s = await seeded(t, [
        ['', chart('early', '0.1.0-alpha.1')],
        ['', chart('early', '0.1.0-alpha.2')],
        ['', chart('stable', '1.0.0')],
      ]);
      assert.deepEqual(hits(await s.searchCharts(everything)), [['', 'stable', '1.0.0']]);
      assert.equal((await s.searchCharts(everything)).total, 1);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, prerelease: true })), [
        ['', 'early', '0.1.0-alpha.2'],
        ['', 'stable', '1.0.0'],
      ]);
    });

    test('a chart whose latest version is deprecated is left out unless deprecated charts are asked for', async (t) => {
      const s = await seeded(t, [
        ['', chart('old', '1.0.0')],
        ['', chart('old', '1.1.0', { deprecated: true })],
        ['', chart('revived', '1.0.0', { deprecated: true })],
        ['', chart('revived', '2.0.0')],
        ['', chart('teaser', '1.0.0')],
        ['', chart('teaser', '2.0.0-rc.1', { deprecated: true })],
      ]);
      const kept = { ...everything, deprecated: false };
      assert.deepEqual(hits(await s.searchCharts(kept)), [
        ['', 'revived', '2.0.0'],
        ['', 'teaser', '1.0.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...kept, prerelease: true })), [['', 'revived', '2.0.0']]);
      const all = await s.searchCharts(everything);
      assert.deepEqual(hits(all), [
        ['', 'old', '1.1.0'],
        ['', 'revived', '2.0.0'],
        ['', 'teaser', '1.0.0'],
      ]);
      assert.equal(all.hits[0]?.latest.metadata.deprecated, true);
    });

    test('the index follows overwrites and deletes in the same transaction', async (t) => {
      const s = await seeded(t, [
        ['', chart('app', '1.0.0', { description: 'first words' })],
        ['', chart('app', '2.0.0', { description: 'second words' })],
      ]);
      assert.equal((await s.searchCharts({ ...everything, text: 'second' })).total, 1);
      await s.publish({
        repository: '',
        chart: chart('app', '2.0.0', { description: 'replaced text' }),
        overwrite: true,
      });
      assert.equal((await s.searchCharts({ ...everything, text: 'second' })).total, 0);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'replaced' })), [
        ['', 'app', '2.0.0'],
      ]);
      await s.deleteVersion('', 'app', '2.0.0');
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'first' })), [['', 'app', '1.0.0']]);
      assert.equal((await s.searchCharts({ ...everything, text: 'replaced' })).total, 0);
      await s.deleteVersion('', 'app', '1.0.0');
      assert.deepEqual(await s.searchCharts(everything), { total: 0, hits: [] });
    });

    test('without text, hits page in name then repository order and total counts them all', async (t) => {
      const s = await seeded(t, [
        ['b', chart('zeta', '1.0.0')],
        ['a', chart('alpha', '1.0.0')],
        ['b', chart('alpha', '1.0.0')],
        ['', chart('mid', '1.0.0')],
      ]);
      const first = await s.searchCharts({ ...everything, limit: 2 });
      assert.equal(first.total, 4);
      assert.deepEqual(hits(first), [
        ['a', 'alpha', '1.0.0'],
        ['b', 'alpha', '1.0.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, limit: 2, offset: 2 })), [
        ['', 'mid', '1.0.0'],
        ['b', 'zeta', '1.0.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, repository: 'b' })), [
        ['b', 'alpha', '1.0.0'],
        ['b', 'zeta', '1.0.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, repository: '' })), [['', 'mid', '1.0.0']]);
      assert.deepEqual(await s.searchCharts({ ...everything, repository: 'nowhere' }), {
        total: 0,
        hits: [],
      });
    });

    test('an exact name comes before charts that only mention it', async (t) => {
      const s = await seeded(t, [
        ['', chart('ingress', '1.0.0', { description: 'nginx nginx nginx based ingress' })],
        ['', chart('nginx', '1.0.0', { description: 'A web server' })],
        ['', chart('nginx-ingress', '1.0.0', { description: 'Ingress controller' })],
      ]);
      const page = await s.searchCharts({ ...everything, text: 'nginx' });
      assert.equal(page.total, 3);
      assert.deepEqual(page.hits[0]?.latest.name, 'nginx');
    });

    test('search rows: one per chart with its highest version and release, read with the revision', async (t) => {
      const s = await seeded(t, [
        ['team', chart('app', '1.0.0', { description: 'first' })],
        ['team', chart('app', '2.0.0-rc.1', { deprecated: true })],
        ['team', chart('early', '0.1.0-alpha.1')],
        ['', chart('root', '1.0.0')],
      ]);
      const revisions = await s.repositoryRevisions();
      assert.deepEqual(
        revisions.map((r) => r.path),
        ['', 'team'],
      );
      const read = await s.readSearchRows('team');
      assert.equal(read?.revision, revisions[1]?.revision);
      const rows = [...(read?.charts ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
      assert.deepEqual(
        rows.map((r) => [r.name, r.latest.version, r.release?.version, r.versions]),
        [
          ['app', '2.0.0-rc.1', '1.0.0', 2],
          ['early', '0.1.0-alpha.1', undefined, 1],
        ],
      );
      assert.equal(rows[0]?.latest.metadata.deprecated, true);
      assert.equal(rows[0]?.release?.metadata.description, 'first');
      assert.equal(await s.readSearchRows('nowhere'), undefined);
      await s.deleteVersion('team', 'app', '2.0.0-rc.1');
      const after = await s.repositoryRevisions();
      assert.ok((after[1]?.revision ?? 0) > (revisions[1]?.revision ?? 0), 'a delete moves the revision');
      const app = (await s.readSearchRows('team'))?.charts.find((r) => r.name === 'app');
      assert.deepEqual([app?.latest.version, app?.release?.version], ['1.0.0', '1.0.0']);
      assert.deepEqual(await s.readVerifications([{ repository: 'team', digest: 'none' }]), []);
    });

    test('search operators and quotes in the text are read as plain words', async (t) => {
      const s = await seeded(t, [['', chart('near', '1.0.0', { description: 'or and not' })]]);
      for (const text of ['"', 'NEAR(', 'name:near', '* OR ^', 'or AND not', "'; DROP TABLE x; --"]) {
        const page = await s.searchCharts({ ...everything, text });
        assert.ok(page.total <= 1, `"${text}" answered ${page.total} hits`);
      }
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'NEAR(' })), [['', 'near', '1.0.0']]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'description:near' })), []);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: 'or AND not' })), [
        ['', 'near', '1.0.0'],
      ]);
      assert.deepEqual(hits(await s.searchCharts({ ...everything, text: '"' })), [['', 'near', '1.0.0']]);
    });
  });
}
