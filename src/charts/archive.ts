import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

export interface ArchiveLimits {
  /** Total bytes after gunzip (Helm: 100 MiB). */
  maxDecompressedSize: number;
  /** Bytes of any one file in the archive (Helm: 5 MiB). */
  maxFileSize: number;
}

/** The files of a chart package that the server keeps; everything else is only checked and skipped. */
export interface ChartArchive {
  chartYaml: string;
  valuesYaml?: string;
  readme?: string;
}

export class ArchiveError extends Error {}

const MAX_PATH_LENGTH = 1024;
const MAX_DEPTH = 64;
const README = /^readme(\.md|\.markdown|\.txt)?$/i;

/**
 * Reads a chart package (gzipped tar) from a stream with bounded memory: only Chart.yaml,
 * values.yaml and the README are buffered, each capped by maxFileSize. Rejects what Helm's loader
 * rejects, plus links, special files and a duplicate Chart.yaml.
 */
export async function readChartArchive(source: Readable, limits: ArchiveLimits): Promise<ChartArchive> {
  const extract = tar.extract();
  let inflated = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      inflated += chunk.length;
      if (inflated > limits.maxDecompressedSize) {
        done(
          new ArchiveError(`the chart is larger than ${limits.maxDecompressedSize} bytes when decompressed`),
        );
      } else done(null, chunk);
    },
  });
  // The first two bytes tell a later member's bad header (trailing data) from a missing gzip header.
  let head = Buffer.alloc(0);
  const sniff = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (head.length < 2) head = Buffer.concat([head, chunk.subarray(0, 2 - head.length)]);
      done(null, chunk);
    },
  });
  const piped = pipeline(source, sniff, createGunzip(), counter, extract);
  piped.catch(() => undefined);
  try {
    const found = await readEntries(extract, limits);
    await piped;
    return found;
  } catch (err) {
    source.destroy();
    extract.destroy();
    const pipeErr = await piped.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw toArchiveError(
      err instanceof ArchiveError ? err : (pipeErr ?? err),
      head[0] === 0x1f && head[1] === 0x8b,
    );
  }
}

async function readEntries(extract: tar.Extract, limits: ArchiveLimits): Promise<ChartArchive> {
  let top: string | undefined;
  let entries = 0;
  const kept: Partial<ChartArchive> = {};
  for await (const entry of extract) {
    const { header } = entry;
    const segments = checkPath(header.name);
    checkType(header.type, header.name);
    entries++;
    if (top === undefined) top = segments[0];
    else if (segments[0] !== top) throw new ArchiveError('the chart must have a single top-level directory');
    if (header.type === 'directory') {
      entry.resume();
      continue;
    }
    if (segments.length === 1) {
      const what =
        segments[0] === 'Chart.yaml'
          ? 'Chart.yaml is not in the chart directory'
          : 'a file lies outside the chart directory';
      throw new ArchiveError(`${what}: the package must hold one directory with Chart.yaml inside`);
    }
    if ((header.size ?? 0) > limits.maxFileSize) {
      throw new ArchiveError(
        `${header.name} is larger than the ${limits.maxFileSize}-byte limit for one file`,
      );
    }
    const rel = segments.slice(1).join('/');
    const key =
      rel === 'Chart.yaml'
        ? 'chartYaml'
        : rel === 'values.yaml'
          ? 'valuesYaml'
          : README.test(rel)
            ? 'readme'
            : undefined;
    if (key === 'chartYaml' && kept.chartYaml !== undefined)
      throw new ArchiveError('the chart holds Chart.yaml twice');
    if (key && kept[key] === undefined) {
      // Helm's YAML decoder refuses bytes that are not UTF-8; a README is only shown, so it is lenient.
      kept[key] = await readText(entry, limits.maxFileSize, header.name, key === 'readme' ? undefined : rel);
    } else entry.resume();
  }
  if (entries === 0) throw new ArchiveError('the archive holds no files');
  if (kept.chartYaml === undefined) throw new ArchiveError('Chart.yaml is missing from the chart directory');
  return kept as ChartArchive;
}

function checkPath(name: string): string[] {
  if (name.includes('\0')) throw new ArchiveError('the archive holds a file name with a NUL byte');
  if (name.length > MAX_PATH_LENGTH) throw new ArchiveError('the archive holds a path that is too long');
  if (name.startsWith('/')) throw new ArchiveError(`the chart illegally contains an absolute path: ${name}`);
  if (/^[A-Za-z]:/.test(name) || name.includes('\\')) {
    throw new ArchiveError(`the chart contains an illegally named file: ${name}`);
  }
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    throw new ArchiveError(`the chart illegally references a parent directory: ${name}`);
  if (segments.length === 0) throw new ArchiveError('the archive holds an entry with an empty name');
  if (segments.length > MAX_DEPTH) throw new ArchiveError('the archive nests directories too deeply');
  return segments;
}

function checkType(type: tar.Header['type'] | null | undefined, name: string): void {
  if (type === 'file' || type === 'contiguous-file' || type === 'directory' || type == null) return;
  if (type === 'symlink' || type === 'link')
    throw new ArchiveError(`the chart contains a link, which is not allowed: ${name}`);
  throw new ArchiveError(`the chart contains a special file (${type}), which is not allowed: ${name}`);
}

/** The entry as text; with `strictAs`, bytes that are not UTF-8 are refused under that name. */
async function readText(
  entry: AsyncIterable<unknown>,
  max: number,
  name: string,
  strictAs?: string,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of entry) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > max) throw new ArchiveError(`${name} is larger than the ${max}-byte limit for one file`);
    chunks.push(bytes);
  }
  const bytes = Buffer.concat(chunks);
  if (strictAs === undefined) return bytes.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ArchiveError(`${strictAs} is not valid UTF-8`);
  }
}

function toArchiveError(err: unknown, startsAsGzip: boolean): ArchiveError {
  if (err instanceof ArchiveError) return err;
  const e = err as { code?: string; message?: string };
  // gunzip reads what follows a gzip member as the next member's header (trailing zeros excepted).
  if (e.code === 'Z_DATA_ERROR' && /incorrect header check/i.test(e.message ?? '') && startsAsGzip) {
    return new ArchiveError('the package has data after the end of its gzip stream');
  }
  if (e.code === 'Z_DATA_ERROR' && /header/i.test(e.message ?? '')) {
    return new ArchiveError('the package is not gzip-compressed: a chart package is a .tgz file');
  }
  if (e.code?.startsWith('Z_') || /unexpected end/i.test(e.message ?? '')) {
    return new ArchiveError('the package is truncated or corrupt');
  }
  return new ArchiveError('the package is not a valid tar archive');
}
