/** One row of the values.schema.json table. */
export interface SchemaRow {
  path: string;
  type: string;
  required: boolean;
  default?: string;
  description?: string;
  /** enum values, minimum/maximum, pattern: what else constrains the value */
  constraints: string[];
}

const MAX_DEPTH = 8;
const MAX_ROWS = 500;

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function typeOf(schema: Schema): string {
  const type = schema.type;
  if (Array.isArray(type)) return type.map(String).join(' | ');
  if (typeof type === 'string')
    return type === 'array' && isObject(schema.items) ? `array of ${typeOf(schema.items)}` : type;
  if (typeof schema.$ref === 'string') return schema.$ref;
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) return 'one of several';
  return isObject(schema.properties) ? 'object' : 'any';
}

function constraints(schema: Schema): string[] {
  const out: string[] = [];
  if (Array.isArray(schema.enum)) out.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'format'])
    if (schema[key] !== undefined) out.push(`${key} ${JSON.stringify(schema[key])}`);
  return out;
}

/**
 * A chart's values.schema.json flattened into rows, one per property at any depth (bounded), in
 * the order the schema lists them. Undefined when the text is not a JSON object.
 */
export function schemaRows(text: string): SchemaRow[] | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(root)) return undefined;
  const rows: SchemaRow[] = [];
  const walk = (schema: Schema, prefix: string, depth: number) => {
    if (!isObject(schema.properties) || depth > MAX_DEPTH) return;
    const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
    for (const [key, child] of Object.entries(schema.properties)) {
      if (rows.length >= MAX_ROWS || !isObject(child)) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      const row: SchemaRow = {
        path,
        type: typeOf(child),
        required: required.has(key),
        constraints: constraints(child),
      };
      if (child.default !== undefined) row.default = JSON.stringify(child.default);
      const description = child.description ?? child.title;
      if (typeof description === 'string') row.description = description;
      rows.push(row);
      walk(child, path, depth + 1);
    }
  };
  walk(root, '', 0);
  return rows;
}
