import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** The shapes fastify calls (its own typings of the two packages are looser unions). */
type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;
type BuildCompiler<F> = (externalSchemas: unknown, options: unknown) => (route: unknown) => F;

const requireLater = createRequire(import.meta.url);

/**
 * fastify's own validator (ajv), loaded and run the first time a route needs it instead of when
 * the app starts: compiling every route's schemas at start-up (ajv's meta-schema included) was a
 * sixth of a cold start even when only the admin API had schemas, paid by servers whose routes
 * are never called with a query or a body.
 *
 * Response schemas never shape the bytes: they document the answers (the OpenAPI document) and a
 * test holds the answers to them. fast-json-stringify would drop every undeclared key and reorder
 * the rest, so a schema a step behind the code would silently change what clients read; answers
 * are JSON.stringify'd as they were before any schema existed.
 */
export function lazySchemaCompilers(): Factories {
  return { buildValidator: lazyValidators, buildSerializer: () => () => serializeAsIs } as Factories;
}

const serializeAsIs: Serialize = (data) => JSON.stringify(data);

/**
 * Marks a body schema as documentation only: the body is a stream the handler reads itself (a
 * chart upload, an OCI blob), so there is nothing for ajv to check before the handler runs.
 */
export const STREAMED_BODY = 'x-streamed-body';

/**
 * For each route, a function that returns the route's compiled function, compiling it on the first
 * call with the compiler `load` gives (loaded then too, once for all routes).
 */
function onFirstUse<F>(load: () => BuildCompiler<F>, externalSchemas: unknown, options: unknown) {
  let compilerFor: ((route: unknown) => F) | undefined;
  return (route: unknown) => {
    let compiled: F | undefined;
    return (): F => {
      if (compiled === undefined) {
        compilerFor ??= load()(externalSchemas, options);
        compiled = compilerFor(route);
      }
      return compiled;
    };
  };
}

const loadAjv = () =>
  (requireLater('@fastify/ajv-compiler') as { AjvCompiler: () => BuildCompiler<Validate> }).AjvCompiler();

const lazyValidators: BuildCompiler<Validate> = (externalSchemas, ajvOptions) => {
  const compiledFor = onFirstUse(loadAjv, externalSchemas, ajvOptions);
  return (route) => {
    if (isStreamedBody(route)) return () => true;
    const compiled = compiledFor(route);
    const validateLater: Validate = (data) => {
      const validate = compiled();
      const result = validate(data);
      // fastify reads a failed validation's errors from the function it was given
      validateLater.errors = validate.errors;
      return result;
    };
    return validateLater;
  };
};

function isStreamedBody(route: unknown): boolean {
  const { httpPart, schema } = route as { httpPart?: string; schema?: Record<string, unknown> };
  return httpPart === 'body' && schema?.[STREAMED_BODY] === true;
}
