/**
 * Writes soak.md and soak.svg again from a soak.json (after a change to how they are drawn):
 *   npx tsx bench/soak/render.ts bench/results/soak.json
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderMarkdown, type SoakResult } from './report.js';
import { drawSvg } from './svg.js';

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/soak/render.ts <soak.json>');
const result = JSON.parse(await readFile(file, 'utf8')) as SoakResult;
await writeFile(
  join(dirname(file), 'soak.svg'),
  drawSvg(result.samples, result.gcRuns, result.setup.minutes),
);
await writeFile(join(dirname(file), 'soak.md'), renderMarkdown(result, 'soak.svg'));
