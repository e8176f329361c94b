import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** The shapes fastify calls (its own typings of the two packages are looser unions). */
type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;
type BuildCompiler<F> = (externalSchemas: unknown, options: unknown) => (route: unknown) => F;

const requireLater = createRequire(import.meta.url);

/**
 * fastify's own schema compilers (ajv for validation, fast-json-stringify for responses), loaded
 * and run the first time a route needs them instead of when the app starts. Only the admin API
 * has schemas; compiling them at start-up (ajv's meta-schema included) was a sixth of a cold start,
 * paid even by servers whose admin API is never called.
 */
export function lazySchemaCompilers(): Factories {
  return { buildValidator: lazyValidators, buildSerializer: lazySerializers } as Factories;
}

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

const loadFastJsonStringify = () =>
  (
    requireLater('@fastify/fast-json-stringify-compiler') as {
      SerializerSelector: () => BuildCompiler<Serialize>;
    }
  ).SerializerSelector();

const lazyValidators: BuildCompiler<Validate> = (externalSchemas, ajvOptions) => {
  const compiledFor = onFirstUse(loadAjv, externalSchemas, ajvOptions);
  return (route) => {
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

const lazySerializers: BuildCompiler<Serialize> = (externalSchemas, serializerOptions) => {
  const compiledFor = onFirstUse(loadFastJsonStringify, externalSchemas, serializerOptions);
  return (route) => {
    const compiled = compiledFor(route);
    return (data) => compiled()(data);
  };
};
