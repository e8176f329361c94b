import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import type { ChartMetadata } from '../../src/charts/metadata.js';
import type { VersionRecord } from '../../src/repo-index/entry.js';
import { buildIndex, type RenderOptions, renderIndex } from '../support/render-index.js';

const GENERATED = '2024-05-06T12:00:00Z';
const relative: RenderOptions = { chartUrl: '', contextPath: '', repository: '', generated: GENERATED };

function record(
  name: string,
  version: string,
  digestChar: string,
  created: string,
  extra: Partial<ChartMetadata> = {},
): VersionRecord {
  return {
    name,
    version,
    digest: digestChar.repeat(64),
    size: 1234,
    created,
    metadata: { apiVersion: 'v2', name, version, ...extra },
  };
}

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const D = 'd'.repeat(64);
const E = 'e'.repeat(64);

// Deliberately out of order: beta before alpha, versions neither ascending nor descending.
const records: VersionRecord[] = [
  record('beta', '1.9.0', 'd', '2024-05-02T08:00:00Z', { apiVersion: 'v1' }),
  record('alpha', '1.0.0', 'a', '2024-05-01T10:00:00Z', {
    description: 'The alpha chart',
    appVersion: '1.10',
    keywords: ['web', 'http'],
    maintainers: [{ name: 'Alice', email: 'alice@example.com' }],
    type: 'application',
  }),
  record('alpha', '0.9.0', 'b', '2024-04-01T00:00:00Z', { description: 'The alpha chart' }),
  record('beta', '1.10.0', 'e', '2024-05-05T00:00:00.123456789Z', {
    apiVersion: 'v1',
    appVersion: '2.0',
    deprecated: true,
  }),
  record('alpha', '2.0.0-rc.1', 'c', '2024-05-03T00:00:00Z', { description: 'The alpha chart' }),
];

const EXPECTED = `apiVersion: v1
entries:
  alpha:
    - apiVersion: v2
      created: '2024-05-03T00:00:00Z'
      description: The alpha chart
      digest: ${C}
      name: alpha
      urls:
        - charts/alpha-2.0.0-rc.1.tgz
      version: 2.0.0-rc.1
    - apiVersion: v2
      appVersion: '1.10'
      created: '2024-05-01T10:00:00Z'
      description: The alpha chart
      digest: ${A}
      keywords:
        - web
        - http
      maintainers:
        - email: alice@example.com
          name: Alice
      name: alpha
      type: application
      urls:
        - charts/alpha-1.0.0.tgz
      version: 1.0.0
    - apiVersion: v2
      created: '2024-04-01T00:00:00Z'
      description: The alpha chart
      digest: ${B}
      name: alpha
      urls:
        - charts/alpha-0.9.0.tgz
      version: 0.9.0
  beta:
    - apiVersion: v1
      appVersion: '2.0'
      created: '2024-05-05T00:00:00.123456789Z'
      deprecated: true
      digest: ${E}
      name: beta
      urls:
        - charts/beta-1.10.0.tgz
      version: 1.10.0
    - apiVersion: v1
      created: '2024-05-02T08:00:00Z'
      digest: ${D}
      name: beta
      urls:
        - charts/beta-1.9.0.tgz
      version: 1.9.0
generated: '2024-05-06T12:00:00Z'
serverInfo: {}
`;

describe('renderIndex', () => {
  test('two charts render with names alphabetical, versions newest first and keys sorted', () => {
    assert.equal(renderIndex(records, relative), EXPECTED);
  });

  test('the same rows in another order render the same bytes', () => {
    assert.equal(renderIndex([...records].reverse(), relative), EXPECTED);
  });

  test('an empty repository renders entries: {}', () => {
    assert.equal(
      renderIndex([], relative),
      `apiVersion: v1\nentries: {}\ngenerated: '${GENERATED}'\nserverInfo: {}\n`,
    );
  });

  test('with a chart URL, a repository and a context path the urls are absolute', () => {
    const text = renderIndex([record('a', '1.0.0', 'a', '2024-05-01T00:00:00Z')], {
      chartUrl: 'https://charts.example.com',
      contextPath: '/cm',
      repository: 'team/apps',
      generated: GENERATED,
    });
    const doc = yaml.load(text) as {
      entries: Record<string, Array<{ urls: string[] }>>;
      serverInfo: Record<string, string>;
    };
    assert.deepEqual(doc.entries.a?.[0]?.urls, [
      'https://charts.example.com/cm/team/apps/charts/a-1.0.0.tgz',
    ]);
    assert.deepEqual(doc.serverInfo, { contextPath: '/cm' });
    assert.match(text, /^serverInfo:\n {2}contextPath: \/cm\n$/m);
  });

  test('without a chart URL the urls stay relative even with a repository and a context path', () => {
    const index = buildIndex([record('a', '1.0.0', 'a', '2024-05-01T00:00:00Z')], {
      chartUrl: '',
      contextPath: '/cm',
      repository: 'team/apps',
      generated: GENERATED,
    });
    assert.deepEqual(index.entries.a?.[0]?.urls, ['charts/a-1.0.0.tgz']);
    assert.deepEqual(index.serverInfo, { contextPath: '/cm' });
  });

  test('with a chart URL and no repository the url has no repository segment', () => {
    const index = buildIndex([record('a', '1.0.0', 'a', '2024-05-01T00:00:00Z')], {
      chartUrl: 'https://charts.example.com',
      contextPath: '',
      repository: '',
      generated: GENERATED,
    });
    assert.deepEqual(index.entries.a?.[0]?.urls, ['https://charts.example.com/charts/a-1.0.0.tgz']);
  });

  test('the rendered text parses back to only apiVersion, entries, generated and serverInfo', () => {
    const doc = yaml.load(renderIndex(records, relative)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), ['apiVersion', 'entries', 'generated', 'serverInfo']);
    assert.equal(doc.apiVersion, 'v1');
  });

  test('strings that look like numbers or times parse back as the same strings', () => {
    const text = renderIndex(
      [
        record('n', '25', 'a', '2024-05-01T00:00:00Z', { appVersion: '1.10' }),
        record('n', '1.0', 'b', '2024-05-01T00:00:00Z'),
      ],
      relative,
    );
    const doc = yaml.load(text) as {
      generated: unknown;
      entries: { n: Array<{ version: unknown; appVersion?: unknown; created: unknown }> };
    };
    assert.deepEqual(
      doc.entries.n.map((e) => e.version),
      ['25', '1.0'],
    );
    assert.equal(doc.entries.n[0]?.appVersion, '1.10');
    assert.equal(doc.entries.n[0]?.created, '2024-05-01T00:00:00Z');
    assert.equal(doc.generated, GENERATED);
    assert.match(text, /^ {6}version: '25'$/m);
  });
});
