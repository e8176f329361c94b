import yaml from 'js-yaml';
import { chartUrl, type UrlOptions } from './entry.js';
import { DUMP_OPTIONS } from './yaml-fragments.js';

/**
 * Stored entries carry the relative URL `charts/<file>`, whatever `--chart-url` says, so that one
 * option change never invalidates the store. With `--chart-url`, serving rewrites each entry's
 * `urls` item. The item is the only line of an entry at that indentation under `urls:` (block
 * scalars of annotations and descriptions are indented deeper), so the match is exact.
 */
const STORED_URL = /\n {6}urls:\n {8}- charts\/([^\n]*)\n/g;

/** What comes before `charts/<file>` in this repository's URLs; empty when they are relative. */
export function chartUrlPrefix(opts: UrlOptions): string {
  return chartUrl('x', '1.0.0', opts).slice(0, -'charts/x-1.0.0.tgz'.length);
}

/** A chart block with its URLs made absolute, exactly as js-yaml writes `prefix + charts/<file>`. */
export function withChartUrlPrefix(block: string, prefix: string): string {
  if (!prefix) return block;
  const plain = isPlainScalar(`${prefix}charts/x-1.0.0.tgz`);
  return block.replace(STORED_URL, (_, file: string) => {
    const url = `${prefix}charts/${file}`;
    const scalar = plain ? url : yaml.dump(url, DUMP_OPTIONS).trimEnd();
    return `\n      urls:\n        - ${scalar}\n`;
  });
}

/**
 * File names hold only `[A-Za-z0-9._+-]`, which cannot change how js-yaml writes the middle of a
 * string, so a prefix that writes plain before one file name writes plain before any.
 */
function isPlainScalar(text: string): boolean {
  return yaml.dump(text, DUMP_OPTIONS) === `${text}\n`;
}
