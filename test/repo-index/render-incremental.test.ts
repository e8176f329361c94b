import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import yaml from 'js-yaml';
import type { ChartMetadata } from '../../src/charts/metadata.js';
import type { VersionRecord } from '../../src/repo-index/entry.js';
import { buildIndex, createIndexRenderer, type RenderOptions } from '../support/render-index.js';

/** The reference: the whole document in one js-yaml dump, as index.yaml was first rendered. */
const reference = (records: VersionRecord[], opts: RenderOptions) =>
  yaml.dump(buildIndex(records, opts), { sortKeys: true, lineWidth: -1, noRefs: true });

// Pieces that push js-yaml into every scalar style: quotes, block scalars with empty and indented
// lines, indicators, things that read as numbers, booleans, nulls or times, and non-ASCII.
const TOKENS = [
  'a',
  'Z',
  '0',
  '1.10',
  ' ',
  '  ',
  '\n',
  '\n\n',
  '\t',
  ':',
  ': ',
  ' #',
  '#',
  '-',
  '- ',
  '?',
  ',',
  '[',
  ']',
  '{',
  '}',
  '|',
  '>',
  '!',
  '&',
  '*',
  '%',
  '@',
  '`',
  "'",
  '"',
  '\\',
  '~',
  'true',
  'null',
  'NO',
  '2024-05-01',
  '0x1F',
  '.inf',
  'é',
  '日本',
  '😀',
  '\u2028',
  '\u00a0',
  'http://x/y?a=b#c',
];
const text = fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }).map((parts) => parts.join(''));
const name = fc.stringMatching(/^[A-Za-z0-9._-]{1,6}$/).filter((n) => n !== '.' && n !== '..');
const version = fc.constantFrom(
  '1.0.0',
  '1.10.0',
  '1.9.0',
  '2.0.0-rc.1',
  'v1.2',
  '25',
  '1',
  '0.1.0+build.7',
  '1.0',
);

const metadata = fc.record(
  {
    apiVersion: fc.constantFrom('v1', 'v2'),
    description: text,
    appVersion: text,
    home: text,
    keywords: fc.array(text, { maxLength: 3 }),
    sources: fc.array(text, { maxLength: 2 }),
    maintainers: fc.array(fc.record({ name: text, email: text }, { requiredKeys: ['name'] }), {
      maxLength: 2,
    }),
    annotations: fc.dictionary(fc.oneof(text, name), text, { maxKeys: 3 }),
    deprecated: fc.boolean(),
    dependencies: fc.array(
      fc.record({ name, version: text, repository: text, tags: fc.array(text, { maxLength: 2 }) }),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: ['apiVersion'] },
);

const row = fc.record({
  name,
  version,
  digest: fc.stringMatching(/^[0-9a-f]{64}$/),
  created: fc.constantFrom(
    '2024-05-01T10:00:00Z',
    '2024-05-02T00:00:00.123456789Z',
    '2025-01-01T00:00:00.000Z',
  ),
  metadata,
});

/** Unique (name, version) rows, as the store holds them. */
const rows = fc.uniqueArray(row, { selector: (r) => `${r.name}\n${r.version}`, maxLength: 12 }).map((list) =>
  list.map(
    (r): VersionRecord => ({
      ...r,
      size: 1,
      metadata: {
        ...(r.metadata as Partial<ChartMetadata>),
        name: r.name,
        version: r.version,
      } as ChartMetadata,
    }),
  ),
);

const options = fc.record({
  chartUrl: fc.constantFrom('', 'https://charts.example.com'),
  contextPath: fc.constantFrom('', '/cm', "/it's"),
  repository: fc.constantFrom('', 'team/apps'),
  generated: fc.constantFrom('2024-05-06T12:00:00Z', '2024-05-06T12:00:00.5Z'),
});

describe('createIndexRenderer', () => {
  test('renders the same bytes as one js-yaml dump of the whole index', () => {
    fc.assert(
      fc.property(rows, options, (records, opts) => {
        assert.equal(
          createIndexRenderer().render(records, opts).body.toString('utf8'),
          reference(records, opts),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('successive renders with rows added, removed, re-pushed and reordered stay identical', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(rows, fc.boolean(), fc.boolean()), { minLength: 2, maxLength: 5 }),
        options,
        (steps, opts) => {
          const renderer = createIndexRenderer();
          let previous: VersionRecord[] = [];
          for (const [fresh, keepSome, repush] of steps) {
            // keep part of the previous rows (some re-pushed with a new `created`), add the fresh ones
            const kept = previous
              .filter((_, i) => keepSome || i % 2 === 0)
              .map((r, i) => (repush && i % 3 === 0 ? { ...r, created: '2026-01-01T00:00:00Z' } : r));
            const seen = new Set(kept.map((r) => `${r.name}\n${r.version}`));
            const records = [...fresh.filter((r) => !seen.has(`${r.name}\n${r.version}`)), ...kept].reverse();
            const rendered = renderer.render(records, opts);
            assert.equal(rendered.body.toString('utf8'), reference(records, opts));
            const pieces = rendered.pieces;
            assert.equal(pieces[0]?.start, 0);
            assert.equal(pieces.at(-1)?.end, rendered.body.length);
            for (let i = 1; i < pieces.length; i++) assert.equal(pieces[i]?.start, pieces[i - 1]?.end);
            previous = records;
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  test('an unchanged chart keeps its piece key, a changed one gets a new key', () => {
    const record = (n: string, v: string, created = '2024-05-01T00:00:00Z'): VersionRecord => ({
      name: n,
      version: v,
      digest: 'a'.repeat(64),
      size: 1,
      created,
      metadata: { apiVersion: 'v2', name: n, version: v },
    });
    const opts = { chartUrl: '', contextPath: '', repository: '', generated: '2024-05-06T12:00:00Z' };
    const renderer = createIndexRenderer();
    const first = renderer.render([record('a', '1.0.0'), record('b', '1.0.0')], opts);
    const second = renderer.render([record('a', '1.0.0'), record('b', '1.0.0'), record('b', '2.0.0')], opts);
    assert.equal(second.pieces[1]?.key, first.pieces[1]?.key);
    assert.notEqual(second.pieces[2]?.key, first.pieces[2]?.key);
  });

  test('a chart named __proto__ is rendered like any other', () => {
    const records: VersionRecord[] = [
      {
        name: '__proto__',
        version: '1.0.0',
        digest: 'a'.repeat(64),
        size: 1,
        created: '2024-05-01T00:00:00Z',
        metadata: { apiVersion: 'v2', name: '__proto__', version: '1.0.0' },
      },
    ];
    const opts = { chartUrl: '', contextPath: '', repository: '', generated: '2024-05-06T12:00:00Z' };
    const body = createIndexRenderer().render(records, opts).body.toString('utf8');
    assert.match(body, /^ {2}__proto__:\n {4}- apiVersion: v2$/m);
  });
});
