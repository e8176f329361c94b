import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

/** What the templates viewer may hold of one package: every file named, small text files kept. */
export interface PackageFiles {
  /** paths inside the chart directory (`templates/deployment.yaml`), in archive order */
  files: { path: string; size: number }[];
  /** the text of each file small enough to show and valid UTF-8 */
  texts: Map<string, string>;
  /** true when the archive had more files than `maxFiles` and the list stops there */
  truncated: boolean;
}

export interface PackageFileLimits {
  maxDecompressedSize: number;
  /** a file larger than this is listed but not kept */
  maxShownFile: number;
  /** the kept texts together */
  maxKeptBytes: number;
  maxFiles: number;
}

export const PACKAGE_FILE_LIMITS: PackageFileLimits = {
  maxDecompressedSize: 100 * 1024 * 1024,
  maxShownFile: 256 * 1024,
  maxKeptBytes: 4 * 1024 * 1024,
  maxFiles: 1000,
};

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a stored chart package (already validated at upload) for display. Bounded: it stops
 * inflating past `maxDecompressedSize` and keeps at most `maxKeptBytes` of text.
 */
export async function readPackageFiles(source: Readable, limits: PackageFileLimits): Promise<PackageFiles> {
  const extract = tar.extract();
  let inflated = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      inflated += chunk.length;
      done(inflated > limits.maxDecompressedSize ? new Error('package too large to show') : null, chunk);
    },
  });
  const piped = pipeline(source, createGunzip(), counter, extract);
  piped.catch(() => undefined);
  const result: PackageFiles = { files: [], texts: new Map(), truncated: false };
  let kept = 0;
  try {
    for await (const entry of extract) {
      const { header } = entry;
      const path = header.name
        .split('/')
        .filter((s) => s !== '' && s !== '.')
        .slice(1)
        .join('/');
      const size = header.size ?? 0;
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      if (result.files.length >= limits.maxFiles) {
        result.truncated = true;
        entry.resume();
        continue;
      }
      result.files.push({ path, size });
      if (size > limits.maxShownFile || kept + size > limits.maxKeptBytes) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      try {
        result.texts.set(path, utf8.decode(Buffer.concat(chunks)));
        kept += size;
      } catch {
        // binary (a subchart's .tgz, an image): listed, not shown
      }
    }
    await piped;
  } finally {
    source.destroy();
    extract.destroy();
  }
  return result;
}
