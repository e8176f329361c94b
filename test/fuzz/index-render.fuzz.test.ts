import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { loadChart } from '../../src/charts/load-chart.js';
import { isRegistryError } from '../../src/errors.js';
import type { VersionRecord } from '../../src/repo-index/entry.js';
import { makeChart } from '../support/make-chart.js';
import { renderIndex } from '../support/render-index.js';

/**
 * Every index rendered from charts the server accepted parses back (js-yaml, as a Helm client
 * would read it) with the same entries: names, versions, digests, and the metadata as stored.
 */
const limits = { maxDecompressedSize: 1024 * 1024, maxFileSize: 64 * 1024 };

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    'yes',
    'no',
    '1.10',
    '0x1F',
    '~',
    'null',
    '- a',
    '{a: b}',
    '"quoted"',
    "it's",
    '#',
    '&anchor',
    '*alias',
    '2026-01-01',
    '.inf',
  ),
);
const version = fc
  .record({
    major: fc.nat(20),
    minor: fc.nat(20),
    patch: fc.nat(20),
    pre: fc.option(fc.stringMatching(/^[a-z][a-z0-9]{0,5}(\.[1-9][0-9]?)?$/), { nil: undefined }),
    build: fc.option(fc.stringMatching(/^[0-9a-z]{1,6}$/), { nil: undefined }),
  })
  .map(
    ({ major, minor, patch, pre, build }) =>
      `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}${build ? `+${build}` : ''}`,
  );

const chart = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9_-]{0,15}$/),
  version,
  fields: fc.record(
    {
      description: text,
      appVersion: text,
      home: text,
      keywords: fc.array(text, { maxLength: 3 }),
      maintainers: fc.array(fc.record({ name: text, email: text }), { maxLength: 2 }),
      annotations: fc.dictionary(fc.stringMatching(/^[a-z][a-z./-]{0,10}$/), text, { maxKeys: 3 }),
      deprecated: fc.boolean(),
      kubeVersion: text,
    },
    { requiredKeys: [] },
  ),
});

interface IndexDoc {
  apiVersion: string;
  entries: Record<
    string,
    Array<Record<string, unknown> & { version: string; digest: string; urls: string[] }>
  >;
}

test('every index rendered from accepted charts parses back with the same entries', async () => {
  let accepted = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(chart, { maxLength: 5, selector: (c) => `${c.name}@${c.version}` }),
      async (charts) => {
        const records: VersionRecord[] = [];
        for (const c of charts) {
          const tgz = await makeChart({ name: c.name, version: c.version, chart: c.fields });
          try {
            const loaded = await loadChart(Readable.from([tgz]), limits);
            const digest = createHash('sha256').update(tgz).digest('hex');
            const { name, version: v } = loaded.metadata;
            records.push({
              name,
              version: v,
              digest,
              size: tgz.length,
              created: '2026-01-01T00:00:00Z',
              metadata: loaded.metadata,
            });
            accepted++;
          } catch (err) {
            assert.ok(isRegistryError(err, 'CHART_INVALID'), String(err));
          }
        }
        const text = renderIndex(records, {
          chartUrl: '',
          contextPath: '',
          repository: '',
          generated: '2026-01-01T00:00:00Z',
        });
        const doc = yaml.load(text) as IndexDoc;
        assert.equal(doc.apiVersion, 'v1');
        const listed = Object.entries(doc.entries).flatMap(([name, versions]) =>
          versions.map((entry) => ({ name, entry })),
        );
        assert.equal(listed.length, records.length);
        for (const record of records) {
          const found = listed.find(
            ({ name, entry }) => name === record.name && entry.version === record.version,
          );
          assert.ok(found, `${record.name} ${record.version} is listed`);
          const { urls, created, digest, ...metadata } = found.entry;
          assert.equal(digest, record.digest);
          assert.deepEqual(urls, [`charts/${record.name}-${record.version}.tgz`]);
          assert.equal(created, '2026-01-01T00:00:00Z');
          assert.deepEqual(metadata, JSON.parse(JSON.stringify(record.metadata)));
        }
      },
    ),
    { numRuns: 200 },
  );
  assert.ok(accepted >= 200, `only ${accepted} charts were accepted`);
});
