// The upstream index read one version at a time (src/import/index-entries.ts): every index it
// reads in pieces must read exactly as js-yaml reads the whole document, and every other index
// (other styles, invalid ones) must still be read, or refused, as the whole document is.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { renderStaticIndex } from '../../src/export/static-index.js';
import { readIndexEntries, readInPieces } from '../../src/import/index-entries.js';
import { SourceError } from '../../src/import/source-error.js';

const URL = 'http://upstream.test/index.yaml';

/** The oracle: js-yaml's whole document, cut down to what an import keeps. */
function wholeRead(text: string) {
  const doc = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA }) as { entries: Record<string, unknown[]> };
  return Object.entries(doc.entries).flatMap(([name, items]) =>
    items.map((raw) => {
      const item = raw as Record<string, unknown>;
      const urls = Array.isArray(item.urls) ? item.urls : [];
      const digest = typeof item.digest === 'string' && item.digest !== '' ? item.digest : undefined;
      return digest === undefined
        ? { name, version: item.version, urls }
        : { name, version: item.version, urls, digest };
    }),
  );
}

// What `helm repo index` (Go's yaml) writes: items at the key's indent, block scalars, comments.
const GO_STYLE = `apiVersion: v1
entries:
  alpha:
  - annotations:
      artifacthub.io/changes: |
        - kind: added
          description: a list inside a block scalar
    apiVersion: v2
    created: "2026-01-02T03:04:05.000000006Z"
    description: |-
      Line one
      - not an item
    digest: aaa111
    name: alpha
    urls:
    - https://releases.example/alpha-1.1.0.tgz
    version: 1.1.0
# a comment at the margin, inside entries
  - apiVersion: v2
    digest: ""
    name: alpha
    urls:
    - charts/alpha-1.0.0.tgz
    - https://mirror.example/alpha-1.0.0.tgz
    version: 1.0.0

  "beta: quoted":
  - name: beta
    version: 0.2.0+build.3
    urls: [beta-0.2.0.tgz]
  "123":
  - version: "1.0"
generated: "2026-01-02T03:04:05Z"
serverInfo: {}
`;

describe('reading an index.yaml one version at a time', () => {
  test("Go's block style reads in pieces, exactly as the whole document", () => {
    const pieces = readInPieces(GO_STYLE);
    assert.ok(pieces, 'the Go style was not read in pieces');
    assert.deepEqual(pieces, wholeRead(GO_STYLE));
    assert.equal(pieces.length, 4);
    assert.deepEqual(
      pieces.map((e) => e.name),
      ['123', 'alpha', 'alpha', 'beta: quoted'],
      'charts come in the order of the whole parse (integer-like keys first)',
    );
    assert.equal(pieces[1]?.digest, 'aaa111');
    assert.equal(pieces[2]?.digest, undefined, 'an empty digest states none');
  });

  test('CRLF line ends read the same', () => {
    const crlf = GO_STYLE.replace(/\n/g, '\r\n');
    assert.deepEqual(readInPieces(crlf), wholeRead(crlf));
  });

  test("js-yaml's style (items indented under the key), as Charthouse's export writes it", () => {
    const record = (name: string, version: string) => ({
      name,
      version,
      digest: `${version.length}`.padStart(64, '0'),
      size: 10,
      created: '2026-01-01T00:00:00.000Z',
      metadata: { apiVersion: 'v2', name, version, description: 'multi\nline\n\n  indented' },
    });
    const text = renderStaticIndex(
      [record('one', '1.0.0'), record('one', '1.1.0-rc.1'), record('two', '2.0.0')],
      'https://charts.example/base',
      '2026-01-01T00:00:00Z',
    );
    assert.match(text, /\n {2}one:\n {4}- /, 'the export indents items under the key');
    const pieces = readInPieces(text);
    assert.ok(pieces);
    assert.deepEqual(pieces, wholeRead(text));
    assert.equal(pieces.length, 3);
  });

  test('10,000 versions of 200 charts read in pieces, the same as whole', () => {
    const lines = ['apiVersion: v1', 'entries:'];
    for (let c = 0; c < 200; c++) {
      lines.push(`  chart-${c}:`);
      for (let v = 0; v < 50; v++) {
        lines.push(`  - name: chart-${c}`, `    version: 1.${v}.0`, `    digest: d${c}x${v}`);
        lines.push('    urls:', `    - chart-${c}-1.${v}.0.tgz`);
      }
    }
    const text = `${lines.join('\n')}\n`;
    const pieces = readInPieces(text);
    assert.equal(pieces?.length, 10_000);
    assert.deepEqual(pieces, wholeRead(text));
  });

  const otherShapes: [string, string][] = [
    ['JSON', JSON.stringify({ apiVersion: 'v1', entries: { a: [{ version: '1.0.0', urls: ['a.tgz'] }] } })],
    ['entries in flow style', 'apiVersion: v1\nentries: {a: [{version: 1.0.0}]}\n'],
    ['a chart whose list is inline', 'entries:\n  a: [{version: 1.0.0}]\n  b:\n  - version: 2.0.0\n'],
    ['a document marker', '---\napiVersion: v1\nentries:\n  a:\n  - version: 1.0.0\n'],
    ['an alias to another version', 'entries:\n  a:\n  - &v\n    version: 1.0.0\n  - *v\n'],
  ];
  for (const [shape, text] of otherShapes) {
    test(`${shape}: not read in pieces, read whole instead`, () => {
      let pieces: unknown;
      try {
        pieces = readInPieces(text);
      } catch {
        pieces = undefined; // a piece that does not parse alone throws; the caller reads whole
      }
      assert.equal(pieces, undefined);
      assert.deepEqual(readIndexEntries(text, URL), wholeRead(text));
    });
  }

  const invalid: [string, string, RegExp][] = [
    ['no entries', 'apiVersion: v1\n', /has no "entries" map/],
    ['entries with nothing in it', 'apiVersion: v1\nentries:\n', /has no "entries" map/],
    [
      'a version without one',
      'entries:\n  a:\n  - name: a\n  - version: 1.0.0\n',
      /a version of a has no "version"/,
    ],
    ['a chart that is no list', 'entries:\n  a:\n    version: 1.0.0\n', /"entries.a" is not a list/],
    ['a chart listed twice', 'entries:\n  a:\n  - version: 1.0.0\n  a:\n  - version: 2.0.0\n', /duplicated/],
    ['a broken version', 'entries:\n  a:\n  - version: "1.0.0\n    urls: [\n', /not a Helm repository index/],
    ['broken YAML outside entries', 'apiVersion: [v1\nentries:\n  a:\n  - version: 1.0.0\n', /not a Helm/],
    [
      'entries twice',
      'entries:\n  a:\n  - version: 1.0.0\nentries:\n  b:\n  - version: 1.0.0\n',
      /duplicated/,
    ],
  ];
  for (const [what, text, message] of invalid) {
    test(`${what}: refused with the reason`, () => {
      assert.throws(
        () => readIndexEntries(text, URL),
        (err: unknown) =>
          err instanceof SourceError && message.test(err.message) && err.message.includes(URL),
      );
    });
  }

  test('an alias bomb inside one version is refused, not expanded', () => {
    const lines = ['entries:', '  a:', '  - version: 1.0.0', '    l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      lines.push(
        `    l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    }
    assert.throws(
      () => readIndexEntries(`${lines.join('\n')}\n`, URL),
      (err: unknown) => err instanceof SourceError && /too large or too deeply aliased/.test(err.message),
    );
  });
});
