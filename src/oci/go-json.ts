/**
 * JSON text as Go's encoding/json writes it, so that generated configs and manifests are the
 * bytes Helm itself would push: no spaces, fields in struct order, map keys sorted, and `<`, `>`,
 * `&`, U+2028 and U+2029 escaped as \u003c, \u003e, \u0026, \u2028 and \u2029.
 */
export type GoValue = string | number | boolean | GoValue[] | GoFields | GoMap;

/** An object whose fields keep the order given (a Go struct). */
export class GoFields {
  constructor(readonly fields: ReadonlyArray<readonly [string, GoValue]>) {}
}

/** An object whose keys come out sorted (a Go map). */
export class GoMap {
  constructor(readonly entries: Readonly<Record<string, GoValue>>) {}
}

export function goString(value: string): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => {
    return `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
  });
}

export function goJson(value: GoValue): string {
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const pairs =
    value instanceof GoMap
      ? Object.keys(value.entries)
          .sort(byBytes)
          .map((key) => [key, value.entries[key] as GoValue] as const)
      : value.fields;
  return `{${pairs.map(([key, v]) => `${goString(key)}:${goJson(v)}`).join(',')}}`;
}

/** Go sorts map keys by their UTF-8 bytes. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
