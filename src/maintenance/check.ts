import type { ArchiveLimits } from '../charts/archive.js';
import { sha256HexOfStream } from '../charts/digest.js';
import { loadChart } from '../charts/load-chart.js';
import type { BlobStore } from '../store/blob-store.js';
import type { DanglingOciReference, MetadataStore } from '../store/metadata-store.js';
import type { UploadSessionStore } from '../store/upload-sessions.js';
import { reclaimBlob } from './gc.js';
import { type Progress, silentProgress } from './progress.js';

/**
 * `charthouse check`. Problems are what breaks a promise to clients: a row whose blob is missing,
 * has another size, hashes to another digest, or (for a chart) no longer loads. Leftovers are what
 * an interrupted or deleting server leaves and no client can see: blobs no row refers to (gc
 * reclaims them), temp files of stages that never finished, and OCI upload sessions idle longer
 * than --upload-session-ttl (which the server no longer accepts). Only problems make the store
 * unclean; with `repair`, leftovers older than the grace period (stale sessions: the TTL) are
 * removed, and problems are reported, never "fixed" by deleting anything. A dangling OCI reference
 * (an image index listing a manifest that is gone, a tag naming one) is a problem too: a pull of it
 * fails; each comes with the remedy an operator can choose, since deleting the index might not be it.
 */
export type ProblemKind =
  | 'missing-blob'
  | 'size-mismatch'
  | 'digest-mismatch'
  | 'invalid-package'
  | 'dangling-reference';
export type LeftoverKind = 'orphan-blob' | 'temporary-file' | 'stale-upload';

export interface Finding<K extends string = ProblemKind | LeftoverKind> {
  kind: K;
  /** the blob's digest, the temp file's id, or the upload session's id */
  subject: string;
  detail: string;
  /** with repair: whether it was removed */
  repaired?: boolean;
  /** for a problem that check never repairs: what an operator can do about it */
  remedy?: string;
}

export interface CheckReport {
  clean: boolean;
  problems: Finding<ProblemKind>[];
  leftovers: Finding<LeftoverKind>[];
  /** rows read, distinct blobs they refer to, and the bytes re-hashed */
  references: number;
  blobs: number;
  bytes: number;
}

export interface CheckOptions {
  meta: MetadataStore;
  blobs: BlobStore;
  /** the limits a stored package must still load under */
  limits: ArchiveLimits;
  repair?: boolean;
  /** with repair: leftovers written within this many milliseconds stay (the server may be using them) */
  graceMs?: number;
  now?: () => number;
  progress?: Progress;
  /** the OCI upload sessions (`<storage>/uploads/`); those idle longer than `uploadTtlMs` are stale */
  uploads?: UploadSessionStore;
  uploadTtlMs?: number;
}

interface Referenced {
  sizes: Set<number>;
  /** the first few rows, for the report (a popular blob may have thousands) */
  owners: string[];
  rows: number;
  chart: boolean;
}

const MAX_OWNERS = 3;

export async function checkStore(options: CheckOptions): Promise<CheckReport> {
  const { meta, blobs } = options;
  const progress = options.progress ?? silentProgress;
  const report: CheckReport = { clean: true, problems: [], leftovers: [], references: 0, blobs: 0, bytes: 0 };
  const referenced = new Map<string, Referenced>();
  progress.start('check: rows');
  for await (const ref of meta.listBlobReferences()) {
    report.references++;
    const entry = referenced.get(ref.digest) ?? { sizes: new Set(), owners: [], rows: 0, chart: false };
    if (ref.size !== undefined) entry.sizes.add(ref.size);
    if (entry.owners.length < MAX_OWNERS) entry.owners.push(ref.owner);
    entry.rows++;
    entry.chart ||= ref.kind === 'chart';
    referenced.set(ref.digest, entry);
    progress.advance();
  }
  progress.done();

  progress.start('check: blobs', referenced.size);
  for (const [digest, entry] of referenced) {
    const size = (await blobs.stat(digest))?.size ?? 0;
    const problem = await verifyBlob(blobs, digest, entry, options.limits);
    if (problem) report.problems.push(problem);
    report.blobs++;
    report.bytes += size;
    progress.advance(1, size);
  }
  progress.done();

  for (const dangling of await meta.findDanglingOciReferences())
    report.problems.push(danglingFinding(dangling));
  await findLeftovers(options, referenced, report);
  report.clean = report.problems.length === 0;
  return report;
}

async function verifyBlob(
  blobs: BlobStore,
  digest: string,
  entry: Referenced,
  limits: ArchiveLimits,
): Promise<Finding<ProblemKind> | undefined> {
  const owners = describeOwners(entry);
  const stored = await blobs.stat(digest);
  if (!stored) return { kind: 'missing-blob', subject: digest, detail: `missing, referenced by ${owners}` };
  const wrongSize = [...entry.sizes].find((size) => size !== stored.size);
  if (wrongSize !== undefined) {
    const detail = `holds ${stored.size} bytes, but ${owners} records ${wrongSize}`;
    return { kind: 'size-mismatch', subject: digest, detail };
  }
  const bytes = await blobs.open(digest);
  if (!bytes) return { kind: 'missing-blob', subject: digest, detail: `vanished, referenced by ${owners}` };
  const actual = await sha256HexOfStream(bytes);
  if (actual !== digest) {
    const detail = `its bytes hash to ${actual}; referenced by ${owners}`;
    return { kind: 'digest-mismatch', subject: digest, detail };
  }
  if (!entry.chart) return undefined;
  const stream = await blobs.open(digest);
  if (!stream) return { kind: 'missing-blob', subject: digest, detail: `vanished, referenced by ${owners}` };
  try {
    await loadChart(stream, limits);
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      kind: 'invalid-package',
      subject: digest,
      detail: `no longer loads as a chart (${reason}); ${owners}`,
    };
  }
}

function danglingFinding({ name, from, missing }: DanglingOciReference): Finding<ProblemKind> {
  if ('index' in from) {
    return {
      kind: 'dangling-reference',
      subject: `${name}@${from.index}`,
      detail: `the image index lists manifest ${missing}, which ${name} does not hold`,
      remedy: `push manifest ${missing} to ${name} again, or delete the index (DELETE /v2/${name}/manifests/${from.index})`,
    };
  }
  return {
    kind: 'dangling-reference',
    subject: `${name}:${from.tag}`,
    detail: `the tag names ${missing}, which no longer exists`,
    remedy: `push the tag again, or delete it (DELETE /v2/${name}/manifests/${from.tag})`,
  };
}

async function findLeftovers(
  options: CheckOptions,
  referenced: Map<string, Referenced>,
  report: CheckReport,
) {
  const { meta, blobs, repair = false } = options;
  const now = (options.now ?? Date.now)();
  const cutoff = new Date(now - (options.graceMs ?? 0));
  for await (const digest of blobs.list()) {
    if (referenced.has(digest)) continue;
    const age = describeAge(now, await blobs.committedAt(digest));
    const finding: Finding<LeftoverKind> = {
      kind: 'orphan-blob',
      subject: digest,
      detail: `no row refers to it (${age})`,
    };
    if (repair) finding.repaired = (await reclaimBlob(meta, blobs, digest, cutoff)) === 'removed';
    report.leftovers.push(finding);
  }
  for await (const file of blobs.listTemporary()) {
    const detail = `${file.size} bytes, ${describeAge(now, file.modified)}`;
    const finding: Finding<LeftoverKind> = { kind: 'temporary-file', subject: file.id, detail };
    if (repair) finding.repaired = await blobs.removeTemporary(file.id, cutoff);
    report.leftovers.push(finding);
  }
  await findStaleUploads(options, now, report);
}

/** Sessions idle longer than the TTL: the server answers 404 for them and would sweep them itself. */
async function findStaleUploads(options: CheckOptions, now: number, report: CheckReport) {
  const { uploads, uploadTtlMs, repair = false } = options;
  if (!uploads || uploadTtlMs === undefined) return;
  const stale = (updated: number) => now - updated > uploadTtlMs;
  for (const session of await uploads.list()) {
    if (!stale(session.updated)) continue;
    const where = session.name ? ` in ${session.name}` : '';
    const finding: Finding<LeftoverKind> = {
      kind: 'stale-upload',
      subject: session.id,
      detail: `upload session${where}, ${session.size} bytes, ${describeAge(now, new Date(session.updated))}`,
    };
    if (repair) {
      // a chunk that arrived since the listing renews the session: look again just before
      const current = await uploads.get(session.id);
      finding.repaired = !current || stale(current.updated);
      if (finding.repaired) await uploads.remove(session.id);
    }
    report.leftovers.push(finding);
  }
}

function describeOwners({ owners, rows }: Referenced): string {
  const shown = owners.join('; ');
  return rows > owners.length ? `${shown}; and ${rows - owners.length} more` : shown;
}

function describeAge(now: number, at: Date | undefined): string {
  if (!at) return 'age unknown';
  const seconds = Math.max(0, Math.round((now - at.getTime()) / 1000));
  if (seconds < 120) return `written ${seconds} s ago`;
  if (seconds < 7200) return `written ${Math.round(seconds / 60)} min ago`;
  return `written ${Math.round(seconds / 3600)} h ago`;
}
