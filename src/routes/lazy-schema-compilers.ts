import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
/** The shapes fastify calls (its own typings of the two packages are looser unions). */
type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type BuildValidator = (externalSchemas: unknown, options: unknown) => (route: unknown) => Validate;
type BuildSerializer = (
  externalSchemas: unknown,
  options: unknown,
) => (route: unknown) => (data: unknown) => string;

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

const lazyValidators: BuildValidator = (externalSchemas, ajvOptions) => {
  let compilerFor: ReturnType<BuildValidator> | undefined;
  return (route) => {
    let validate: Validate | undefined;
    const validateLater: Validate = (data) => {
      if (!validate) {
        const { AjvCompiler } = requireLater('@fastify/ajv-compiler') as {
          AjvCompiler: () => BuildValidator;
        };
        compilerFor ??= AjvCompiler()(externalSchemas, ajvOptions);
        validate = compilerFor(route);
      }
      const result = validate(data);
      // fastify reads a failed validation's errors from the function it was given
      validateLater.errors = validate.errors;
      return result;
    };
    return validateLater;
  };
};

const lazySerializers: BuildSerializer = (externalSchemas, serializerOptions) => {
  let compilerFor: ReturnType<BuildSerializer> | undefined;
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => {
      if (!serialize) {
        const { SerializerSelector } = requireLater('@fastify/fast-json-stringify-compiler') as {
          SerializerSelector: () => BuildSerializer;
        };
        compilerFor ??= SerializerSelector()(externalSchemas, serializerOptions);
        serialize = compilerFor(route);
      }
      return serialize(data);
    };
  };
};
