import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { T } from '../../src/routes/schemas/type-builder.js';

const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema));

test('the schema builders build the JSON Schema TypeBox builds', () => {
  const pairs: Array<[unknown, unknown]> = [
    [T.String({ minLength: 1 }), Type.String({ minLength: 1 })],
    [T.Integer(), Type.Integer()],
    [T.Boolean(), Type.Boolean()],
    [T.Null({ description: 'x' }), Type.Null({ description: 'x' })],
    [T.Literal(true), Type.Literal(true)],
    [T.Literal('a'), Type.Literal('a')],
    [T.Union([T.String(), T.Null()]), Type.Union([Type.String(), Type.Null()])],
    [T.Array(T.String(), { minItems: 1 }), Type.Array(Type.String(), { minItems: 1 })],
    [
      T.Object({ a: T.String(), b: T.Optional(T.Integer()) }, { additionalProperties: false }),
      Type.Object({ a: Type.String(), b: Type.Optional(Type.Integer()) }, { additionalProperties: false }),
    ],
    [T.Object({ b: T.Optional(T.String()) }), Type.Object({ b: Type.Optional(Type.String()) })],
  ];
  for (const [mine, theirs] of pairs) assert.deepEqual(plain(mine), plain(theirs));
});

test('a record is an object whose every value has the schema', () => {
  assert.deepEqual(plain(T.Record(T.String(), T.Integer())), {
    type: 'object',
    additionalProperties: { type: 'integer' },
  });
});
