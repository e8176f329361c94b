import yaml from 'js-yaml';

/**
 * Chart.yaml and provenance bodies are read with js-yaml's failsafe schema: every scalar stays the
 * string that was written (`appVersion: 1.10` stays "1.10", as Helm's strict loader keeps it), no
 * custom tags are honoured, and types are checked by the caller. Aliases are followed lazily by
 * js-yaml, so a walk over the result is bounded by a node budget to stop alias bombs.
 */
export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

const NODE_BUDGET = 100_000;

export function loadFailsafe(text: string, what: string): YamlValue {
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: yaml.FAILSAFE_SCHEMA, json: false });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`${what} is not valid YAML: ${reason}`);
  }
  assertBounded(doc, what);
  return doc as YamlValue;
}

/**
 * Walks the loaded document, aliases included, and throws once it holds more than `budget` nodes;
 * returns how many it holds.
 */
export function assertBounded(doc: unknown, what: string, budget = NODE_BUDGET): number {
  let remaining = budget;
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (--remaining < 0) throw new Error(`${what} is too large or too deeply aliased`);
    // One push per child: spreading a huge list into push() would overflow the call stack.
    const children = Array.isArray(node)
      ? node
      : node !== null && typeof node === 'object'
        ? Object.values(node)
        : [];
    for (const child of children) stack.push(child);
  }
  return budget - remaining;
}

export function isMap(value: YamlValue | undefined): value is { [key: string]: YamlValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
