import yaml from 'js-yaml';
import type { ChartVersionEntry } from './entry.js';

export const DUMP_OPTIONS: yaml.DumpOptions = { sortKeys: true, lineWidth: -1, noRefs: true };

/** `  <name>:` as js-yaml writes the key of a block sequence under `entries`. */
export function chartHeader(name: string): Buffer {
  const line = yaml.dump({ [name]: [0] }, DUMP_OPTIONS);
  const suffix = ':\n  - 0\n';
  if (!line.endsWith(suffix) || line.slice(0, -suffix.length).includes('\n')) {
    throw new Error(`chart name ${JSON.stringify(name)} does not render as a one-line YAML key`);
  }
  return Buffer.from(`  ${line.slice(0, -suffix.length)}:\n`, 'utf8');
}

/**
 * Each entry as it appears under `entries.<name>`: `yaml.dump([entry])` indented by four spaces.
 * One dump of the whole list gives the same items one after the other (js-yaml separates top-level
 * items with a bare newline), and an item starts at the only lines that begin with `- `: every
 * other line of an item is indented or empty.
 */
export function dumpEntries(entries: ChartVersionEntry[]): Buffer[] {
  if (entries.length === 0) return [];
  const text = yaml.dump(entries, DUMP_OPTIONS);
  const items = text.split(/\n(?=- )/);
  if (items.length !== entries.length) throw new Error('js-yaml laid the index entries out unexpectedly');
  return items.map((item, i) => Buffer.from(indent(i < items.length - 1 ? `${item}\n` : item), 'utf8'));
}

/** Four spaces before every line that is not empty, as js-yaml indents nested blocks. */
function indent(text: string): string {
  return text.replace(/^(?!$)/gm, '    ');
}
