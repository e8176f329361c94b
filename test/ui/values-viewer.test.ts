import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines, hunks } from '../../src/ui/text-diff.js';
import { valuesLines } from '../../src/ui/values-lines.js';
import { schemaRows } from '../../src/ui/values-schema.js';
import { highlightYamlLines } from '../../src/ui/yaml-highlight.js';

const paths = (text: string) =>
  valuesLines(highlightYamlLines(text)).map((l) => [l.text.trim(), l.path ?? null, l.fold]);

test('key paths follow indentation; sequence items and block scalars get none', () => {
  const text =
    'image:\n  tag: "1"\ningress:\n  tls:\n  - secretName: x\n    hosts:\n      - a\n  annotations: {}\n\nconfig: |\n  key: not a key\n"quoted key": 1\n';
  assert.deepEqual(paths(text), [
    ['image:', 'image', 1],
    ['tag: "1"', 'image.tag', 0],
    ['ingress:', 'ingress', 5],
    ['tls:', 'ingress.tls', 3],
    ['- secretName: x', null, 0],
    ['hosts:', null, 1],
    ['- a', null, 0],
    ['annotations: {}', 'ingress.annotations', 0],
    ['', null, 0],
    ['config: |', 'config', 1],
    ['key: not a key', null, 0],
    ['"quoted key": 1', 'quoted key', 0],
    ['', null, 0],
  ]);
});

test('a repeated key path keeps its first line only', () => {
  assert.deepEqual(
    paths('a: 1\na: 2\n').map((p) => p[1]),
    ['a', null, null],
  );
});

test('the line diff keeps common lines and marks what changed', () => {
  const lines = diffLines('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n');
  assert.deepEqual(
    lines?.map((l) => `${l.kind}:${l.text}:${l.old ?? ''}:${l.new ?? ''}`),
    ['same:a:1:1', 'add:B::2', 'del:b:2:', 'same:c:3:3', 'same:d:4:4', 'add:e::5', 'same::5:6'],
  );
  const far = diffLines(
    Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n'),
    Array.from({ length: 20 }, (_, i) => (i === 10 ? 'X' : `l${i}`)).join('\n'),
  );
  const cut = hunks(far ?? [], 2);
  assert.deepEqual(
    cut.map((l) => l?.text ?? '…'),
    ['l8', 'l9', 'X', 'l10', 'l11', 'l12'],
  );
  assert.equal(
    diffLines('same', 'same')?.every((l) => l.kind === 'same'),
    true,
  );
});

test('schemaRows flattens nested properties and refuses what is not a JSON object', () => {
  const rows = schemaRows(
    JSON.stringify({
      properties: { a: { type: 'object', properties: { b: { type: 'array', items: { type: 'string' } } } } },
      required: ['a'],
    }),
  );
  assert.deepEqual(
    rows?.map((r) => [r.path, r.type, r.required]),
    [
      ['a', 'object', true],
      ['a.b', 'array of string', false],
    ],
  );
  assert.equal(schemaRows('not json'), undefined);
  assert.equal(schemaRows('[1]'), undefined);
});
