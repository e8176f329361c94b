import type { Type } from 'typebox';

/**
 * The few TypeBox builders the route schemas use, typed as TypeBox's own (so
 * @fastify/type-provider-typebox gives each handler its params, query and body types) but built
 * here as the plain JSON Schema TypeBox would build. Importing `typebox` itself loads about 700
 * modules, as long as fastify takes to load, on every start; its types cost nothing at run time.
 * A schema from here is a plain object: ajv validates it, @fastify/swagger copies it into the
 * OpenAPI document.
 */
const OPTIONAL = Symbol('optional');

type Options = Record<string, unknown>;
type Schema = Record<string | symbol, unknown>;

const plain =
  (type: string) =>
  (options: Options = {}) => ({ ...options, type });

function optional(schema: Schema) {
  const copy: Schema = { ...schema };
  Object.defineProperty(copy, OPTIONAL, { value: true, enumerable: false });
  return copy;
}

function object(properties: Record<string, Schema>, options: Options = {}) {
  const required = Object.keys(properties).filter((key) => !properties[key]?.[OPTIONAL]);
  return { ...options, type: 'object', properties, ...(required.length > 0 && { required }) };
}

export const T = {
  String: plain('string') as unknown as typeof Type.String,
  Integer: plain('integer') as unknown as typeof Type.Integer,
  Boolean: plain('boolean') as unknown as typeof Type.Boolean,
  Null: plain('null') as unknown as typeof Type.Null,
  Unknown: ((options: Options = {}) => ({ ...options })) as unknown as typeof Type.Unknown,
  Literal: ((value: unknown, options: Options = {}) => ({
    ...options,
    type: typeof value,
    const: value,
  })) as unknown as typeof Type.Literal,
  Union: ((anyOf: Schema[], options: Options = {}) => ({
    ...options,
    anyOf,
  })) as unknown as typeof Type.Union,
  Array: ((items: Schema, options: Options = {}) => ({
    ...options,
    type: 'array',
    items,
  })) as unknown as typeof Type.Array,
  Object: object as unknown as typeof Type.Object,
  /** an object whose keys are free (chart names, annotations) and whose values share one schema */
  Record: ((_key: Schema, value: Schema, options: Options = {}) => ({
    ...options,
    type: 'object',
    additionalProperties: value,
  })) as unknown as typeof Type.Record,
  Optional: optional as unknown as typeof Type.Optional,
};
