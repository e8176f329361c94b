import type { YamlLine } from './yaml-highlight.js';

/** One line of the values viewer: its key path (for deep links) and how many lines it can fold. */
export interface ValuesLine extends YamlLine {
  /** `ingress.tls` for a key outside sequences; undefined for other lines and repeated paths */
  path?: string;
  /** the lines below that belong to this key (0: nothing to fold) */
  fold: number;
}

/** a stack entry for a sequence item; never a key name, since keys are text of one line */
const SEQUENCE = '\n[]';

const indentOf = (text: string) => /^ */.exec(text)?.[0].length ?? 0;
const isBlank = (text: string) => text.trim() === '';

/** The fragment id of a key path: `values-ingress.tls` (whitespace and markup characters as `_`). */
export const valuesAnchor = (path: string) => `values-${path.replace(/[\s"'<>&`]/g, '_')}`;

function foldLength(lines: YamlLine[], at: number, column: number): number {
  let end = at + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] as YamlLine;
    if (line.inBlock || isBlank(line.text)) continue;
    const indent = indentOf(line.text);
    // a sequence may sit at its key's own indentation (`tls:\n- a`)
    if (indent > column || (indent === column && line.text.slice(indent).startsWith('-'))) continue;
    break;
  }
  while (end > at + 1 && isBlank(lines[end - 1]?.text ?? '')) end--;
  return end - at - 1;
}

/** Key paths and fold lengths for highlighted YAML lines, by indentation (the text is not parsed). */
export function valuesLines(lines: YamlLine[]): ValuesLine[] {
  const stack: { column: number; name: string }[] = [];
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const out: ValuesLine = { ...line, fold: 0 };
    if (line.inBlock || isBlank(line.text) || line.text.trimStart().startsWith('#')) return out;
    const indent = indentOf(line.text);
    if (line.text.slice(indent).startsWith('-')) {
      // a sequence item: keys inside it get no path (their item has no name to link by)
      while (stack.length > 0 && (stack.at(-1)?.column ?? 0) > indent) stack.pop();
      stack.push({ column: indent, name: SEQUENCE });
      return out;
    }
    while (stack.length > 0 && (stack.at(-1)?.column ?? 0) >= (line.key?.column ?? indent + 1)) stack.pop();
    if (!line.key) return out;
    stack.push({ column: line.key.column, name: line.key.name });
    out.fold = foldLength(lines, i, line.key.column);
    if (stack.some((s) => s.name === SEQUENCE)) return out;
    const path = stack.map((s) => s.name).join('.');
    if (!seen.has(path)) {
      seen.add(path);
      out.path = path;
    }
    return out;
  });
}
