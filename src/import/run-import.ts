/**
 * The import itself: every candidate a source lists, a few at a time, decided and published
 * through the target. A version the target already holds with the same bytes is skipped, with
 * other bytes it is a conflict left alone (unless overwriting), so running the same import again,
 * after a success or a kill, only adds what is missing: each publish is one atomic upload.
 */
import { Readable } from 'node:stream';
import type { ArchiveLimits } from '../charts/archive.js';
import { sha256Hex } from '../charts/digest.js';
import { loadChart } from '../charts/load-chart.js';
import { RegistryError } from '../errors.js';
import type { Progress } from '../maintenance/progress.js';
import {
  type Candidate,
  type ImportSource,
  type ImportTarget,
  TargetRefusal,
  VersionExists,
} from './import-types.js';
import type { NameFilter } from './name-filter.js';
import { nameMismatch, SourceError } from './source-error.js';

export type OutcomeStatus = 'imported' | 'skipped' | 'conflicting' | 'failed';

export interface Outcome {
  status: OutcomeStatus;
  /** the source's file, URL or reference */
  from: string;
  repository: string;
  name?: string;
  version?: string;
  /** why it was not imported (conflicting, failed) */
  reason?: string;
}

export interface ImportReport {
  source: string;
  target: string;
  dryRun: boolean;
  /** versions the filters left out, never downloaded or counted below */
  excluded: number;
  imported: Outcome[];
  skipped: Outcome[];
  conflicting: Outcome[];
  failed: Outcome[];
}

export interface ImportOptions {
  source: ImportSource;
  target: ImportTarget;
  filter: NameFilter;
  concurrency: number;
  overwrite: boolean;
  dryRun: boolean;
  progress: Progress;
  limits: ArchiveLimits;
  /** called after each version is settled (full-collection.ts) */
  onSettled?: () => void;
}

/** Store failures stop the whole import: every later version would fail the same way. */
const FATAL_CODES = new Set(['STORE_UNAVAILABLE', 'STORAGE_FULL']);

export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const { source, target, progress } = options;
  const candidates = await source.list();
  const report: ImportReport = {
    source: source.description,
    target: target.description,
    dryRun: options.dryRun,
    excluded: 0,
    imported: [],
    skipped: [],
    conflicting: [],
    failed: [],
  };
  progress.start(options.dryRun ? 'checking' : 'importing', candidates.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < candidates.length; index = next++) {
      const candidate = candidates[index] as Candidate;
      const { outcome, bytes } = await settle(candidate, options);
      if (outcome) report[outcome.status].push(outcome);
      else report.excluded++;
      progress.advance(1, bytes);
      options.onSettled?.();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    progress.done();
  }
  return report;
}

/** One candidate's outcome (undefined when the filters leave it out) and the bytes downloaded. */
async function settle(
  candidate: Candidate,
  options: ImportOptions,
): Promise<{ outcome?: Outcome; bytes: number }> {
  const base = {
    from: candidate.label,
    repository: candidate.repository,
    name: candidate.name,
    version: candidate.version,
  };
  const step = { bytes: 0, named: base };
  try {
    const outcome = await importOne(candidate, options, step);
    return { outcome, bytes: step.bytes };
  } catch (err) {
    if (err instanceof RegistryError && FATAL_CODES.has(err.code)) throw err;
    if (!(err instanceof SourceError || err instanceof RegistryError || err instanceof TargetRefusal))
      throw err;
    return { outcome: { ...step.named, status: 'failed', reason: err.message }, bytes: step.bytes };
  }
}

async function importOne(
  candidate: Candidate,
  options: ImportOptions,
  step: { bytes: number; named: Omit<Outcome, 'status'> },
): Promise<Outcome | undefined> {
  const { target, filter, overwrite } = options;
  const { repository } = candidate;
  if (candidate.name !== undefined && !filter(candidate.name)) return undefined;
  const known =
    candidate.name !== undefined && candidate.version !== undefined
      ? { name: candidate.name, version: candidate.version }
      : undefined;
  let stored = known && (await target.stored(repository, known.name, known.version));
  // A version already held is decided from the digest the source states, without downloading it.
  const stated = stored && (await candidate.statedDigest?.());
  if (stored && stated) {
    const decided = decide(stored.digest, stated.replace(/^sha256:/, ''), overwrite, step.named);
    if (decided) return decided;
  }
  const files = await candidate.fetch();
  step.bytes = files.chart.length + (files.prov?.length ?? 0);
  const digest = sha256Hex(files.chart);
  let named = known;
  // The upload reads the package anyway; it is read here only when that is the only way to know
  // what it is, or when nothing will be uploaded (a dry run still validates).
  if (!named || options.dryRun || !target.readsPackages) {
    const { metadata } = await loadChart(Readable.from([files.chart]), options.limits);
    if (known && (known.name !== metadata.name || known.version !== metadata.version)) {
      throw nameMismatch(known, metadata);
    }
    named = { name: metadata.name, version: metadata.version };
    step.named = { ...step.named, ...named };
    if (!known) {
      if (!filter(named.name)) return undefined;
      stored = await target.stored(repository, named.name, named.version);
    }
  }
  const { name, version } = named;
  if (stored) {
    const decided = decide(stored.digest, digest, overwrite, step.named);
    if (decided) return decided;
  }
  if (options.dryRun) return { ...step.named, status: 'imported' };
  try {
    await target.publish(repository, files, { overwrite: overwrite && stored !== undefined, expect: named });
  } catch (err) {
    if (!(err instanceof VersionExists)) throw err;
    // stored meanwhile by another import: decided as if it had been there from the start
    const now = await target.stored(repository, name, version);
    // not this version: another one holds its file name (x 1.0.0-rc-1 and x-1.0.0-rc 1)
    if (!now) throw new TargetRefusal(err.message);
    return decide(now.digest, digest, false, step.named);
  }
  return { ...step.named, status: 'imported' };
}

/** Skipped when the bytes are the same; a conflict unless overwriting; undefined: go on and publish. */
function decide(
  stored: string,
  incoming: string,
  overwrite: boolean,
  named: Omit<Outcome, 'status'>,
): Outcome | undefined {
  if (stored === incoming) return { ...named, status: 'skipped' };
  if (overwrite) return undefined;
  return {
    ...named,
    status: 'conflicting',
    reason: `stored with other bytes (sha256:${stored}, the source has sha256:${incoming}); --overwrite replaces it`,
  };
}
