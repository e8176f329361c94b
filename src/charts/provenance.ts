import { chartNameProblem, chartVersionProblem } from './metadata.js';
import { isMap, loadFailsafe } from './yaml-safe.js';

/**
 * A Helm provenance file is a PGP clear-signed message whose body is the chart's Chart.yaml, a
 * `...` separator, and a `files:` map from the package file name to `sha256:<hex>`
 * (helm/helm pkg/provenance/sign.go). The signature itself is checked by clients (`--verify`).
 */
export interface Provenance {
  name: string;
  version: string;
  /** package file name → lowercase hex sha256 */
  files: Record<string, string>;
}

export const MAX_PROVENANCE_SIZE = 1024 * 1024;
const BEGIN = '-----BEGIN PGP SIGNED MESSAGE-----';
const SIGNATURE = '-----BEGIN PGP SIGNATURE-----';
const END = '-----END PGP SIGNATURE-----';

export function parseProvenance(text: string): Provenance {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!normalized.startsWith(BEGIN))
    throw new Error('not a provenance file: it must be a PGP clear-signed message');
  const sigAt = normalized.indexOf(`\n${SIGNATURE}`);
  if (sigAt < 0 || !normalized.includes(END))
    throw new Error('the provenance file has no PGP signature block');
  const headerEnd = normalized.indexOf('\n\n');
  if (headerEnd < 0 || headerEnd > sigAt) throw new Error('the provenance file has no signed body');
  const body = normalized
    .slice(headerEnd + 2, sigAt)
    .split('\n')
    .map((line) => (line.startsWith('- ') ? line.slice(2) : line))
    .join('\n');
  const [chartPart = '', filesPart = ''] = body.split(/^\.\.\.$/m);
  const chart = loadFailsafe(chartPart, 'the provenance file');
  if (!isMap(chart)) throw new Error('the provenance file does not hold chart metadata');
  const name = typeof chart.name === 'string' ? chart.name.trim() : '';
  const version = typeof chart.version === 'string' ? chart.version.trim() : '';
  if (!name) throw new Error('the provenance file names no chart');
  if (!version) throw new Error('the provenance file names no chart version');
  const problem = chartNameProblem(name) ?? chartVersionProblem(version);
  if (problem) throw new Error(`the provenance file: ${problem}`);
  return { name, version, files: readFiles(filesPart) };
}

function readFiles(text: string): Record<string, string> {
  const doc = loadFailsafe(text, 'the provenance file');
  const files = isMap(doc) ? doc.files : undefined;
  const out: Record<string, string> = {};
  if (!isMap(files)) return out;
  for (const [file, digest] of Object.entries(files)) {
    const m = typeof digest === 'string' ? /^sha256:([a-f0-9]{64})$/i.exec(digest.trim()) : null;
    if (m?.[1]) out[file] = m[1].toLowerCase();
  }
  return out;
}
