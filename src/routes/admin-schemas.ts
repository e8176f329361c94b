/**
 * A JSON body schema that refuses unknown properties with a 400. `additionalProperties: false`
 * would not: fastify's Ajv runs with removeAdditional, which drops them silently, so a typo such as
 * `{"admn": true}` would succeed and do something else than asked.
 */
export function knownProperties(properties: Record<string, object>, required: readonly string[] = []) {
  return {
    type: 'object',
    properties,
    required,
    propertyNames: { enum: Object.keys(properties) },
  } as const;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * Validation messages that say what is accepted: Ajv's own say "must be equal to one of the
 * allowed values" without the values, and report an unknown property twice without its name.
 */
export function formatSchemaErrors(errors: readonly SchemaError[], dataVar: string): Error {
  const unknown = errors.find((error) => error.keyword === 'propertyNames' || error.params.propertyName);
  if (unknown) {
    return new Error(`${dataVar} has an unknown property ${JSON.stringify(unknown.params.propertyName)}`);
  }
  const first = errors[0];
  const where = `${dataVar}${first?.instancePath ?? ''}`;
  if (first?.keyword === 'enum' && Array.isArray(first.params.allowedValues)) {
    return new Error(`${where} must be one of ${first.params.allowedValues.join(', ')}`);
  }
  if (first?.keyword === 'minProperties') return new Error(`${where} must set at least one property`);
  return new Error(`${where} ${first?.message ?? 'is not valid'}`);
}
