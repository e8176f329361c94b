/**
 * A repository written out as a static Helm repository, the layout any web server (GitHub
 * Pages, S3, nginx) can serve to `helm repo add`:
 *
 *   <dir>/index.yaml                   URLs `charts/<file>`, or `<base URL>/charts/<file>`
 *   <dir>/charts/<name>-<version>.tgz
 *   <dir>/charts/<name>-<version>.tgz.prov   where the version has one
 *
 * Every file is written to a temporary name and renamed, index.yaml last, so that a directory
 * being served never lists a package that is not there yet. Bytes are checked against their
 * digest as they are copied: an export never publishes a corrupt package.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { chartFilename, provFilename } from '../charts/filename.js';
import type { Progress } from '../maintenance/progress.js';
import { describeRepository } from '../repositories.js';
import type { BlobStore } from '../store/blob-store.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { renderStaticIndex } from './static-index.js';

export interface ExportOptions {
  meta: MetadataStore;
  blobs: BlobStore;
  repository: string;
  dir: string;
  /** absolute URL the directory is served at; relative URLs without it */
  baseUrl?: string;
  /** write into a non-empty directory that holds no index.yaml */
  force: boolean;
  progress: Progress;
}

export interface ExportReport {
  repository: string;
  dir: string;
  versions: number;
  provenance: number;
  bytes: number;
}

/** Refusals a person can act on (no such repository, a directory that is not an export). */
export class ExportError extends Error {}

export async function exportRepository(options: ExportOptions): Promise<ExportReport> {
  const { meta, blobs, repository, dir, progress } = options;
  const snapshot = await meta.snapshot(repository);
  if (!snapshot) throw new ExportError(`no ${describeRepository(repository)} in this store`);
  await checkTargetDir(dir, options.force);
  const charts = join(dir, 'charts');
  await mkdir(charts, { recursive: true });
  const report: ExportReport = { repository, dir, versions: 0, provenance: 0, bytes: 0 };
  progress.start('exporting', snapshot.versions.length);
  try {
    for (const record of snapshot.versions) {
      const { name, version } = record;
      let bytes = await copyBlob(blobs, record.digest, join(charts, chartFilename(name, version)));
      const prov = await meta.getProvenance(repository, name, version);
      if (prov) {
        bytes += await copyBlob(blobs, prov.digest, join(charts, provFilename(name, version)));
        report.provenance++;
      }
      report.versions++;
      report.bytes += bytes;
      progress.advance(1, bytes);
    }
  } finally {
    progress.done();
  }
  const index = renderStaticIndex(snapshot.versions, options.baseUrl, new Date().toISOString());
  await writeAtomically(join(dir, 'index.yaml'), index);
  return report;
}

async function checkTargetDir(dir: string, force: boolean): Promise<void> {
  const names: string[] = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw new ExportError(`cannot use ${dir}: ${err.code ?? err.message}`);
  });
  if (force || names.length === 0 || names.includes('index.yaml')) return;
  throw new ExportError(
    `${dir} is not empty and holds no index.yaml: export into an empty directory or an earlier export (--force writes there anyway)`,
  );
}

async function copyBlob(blobs: BlobStore, digest: string, file: string): Promise<number> {
  const source = await blobs.open(digest);
  if (!source)
    throw new ExportError(
      `the blob sha256:${digest} of ${file} is missing from the store (run charthouse check)`,
    );
  const hash = createHash('sha256');
  let size = 0;
  const verify = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const actual = hash.digest('hex');
      done(
        actual === digest
          ? null
          : new ExportError(`the blob sha256:${digest} of ${file} is corrupt (it hashes to ${actual})`),
      );
    },
  });
  const temp = `${file}.tmp-${process.pid}`;
  try {
    await pipeline(source, verify, createWriteStream(temp));
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return size;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp-${process.pid}`;
  await writeFile(temp, text);
  await rename(temp, file);
}
