import { type Figure, isMeasured, type Outcome, type Throughput } from './load.js';
import { type BenchResults, cell, int, mb, ms, rps, type SizeResult, type Target, why } from './report.js';
import { REPOSITORIES_SPREAD } from './scenarios.js';

/*
 * The PostgreSQL + Ceph rows: their table, each figure beside its ratio to the SQLite row of the
 * same size, and the issue's targets for them (issue 13, "Performance").
 */

const twin = (sqlite: SizeResult[], s: SizeResult) => sqlite.find((t) => t.versions === s.versions);

/** `ours / theirs` of two outcomes, when both were measured. */
function ratio<T extends object>(ours: Outcome<T>, theirs: Outcome<T> | undefined, value: (t: T) => number) {
  return isMeasured(ours) && isMeasured(theirs) ? value(ours) / value(theirs) : undefined;
}

const times = (r: number | undefined) => (r === undefined ? '' : ` (${r.toFixed(2)}×)`);
const rpsOf = (t: Throughput) => t.rps.median;
const p50Of = (p: { p50Ms: Figure }) => p.p50Ms.median;

export function renderSharedTable(results: BenchResults): string[] {
  const pg = results.postgres ?? [];
  if (pg.length === 0) return [];
  const row = (label: string, show: (s: SizeResult, sqlite: SizeResult | undefined) => string) =>
    `| ${label} | ${pg.map((s) => show(s, twin(results.sizes, s))).join(' | ')} |`;
  const vsSqlite =
    (pick: (s: SizeResult) => Outcome<Throughput> | undefined) => (s: SizeResult, t?: SizeResult) => {
      const ours = pick(s);
      return `${cell(ours, rps)}${ours && t ? times(ratio(ours, pick(t), rpsOf)) : ''}`;
    };
  return [
    `| PostgreSQL 15 + Ceph RGW (× the SQLite row) | ${pg.map((s) => `${int(s.versions)} versions`).join(' | ')} |`,
    `|---|${pg.map(() => '---:').join('|')}|`,
    row('Copied into PostgreSQL + Ceph (blobs uploaded)', (s) =>
      s.shared
        ? `${s.shared.loadSeconds.toFixed(0)} s (${int(s.shared.blobsUploaded)} of ${int(s.shared.blobsInStore)})`
        : '–',
    ),
    row('PostgreSQL database after the copy (chart_versions with indexes)', (s) =>
      s.shared?.databaseBytes
        ? `${mb(s.shared.databaseBytes)} MB (${mb(s.shared.tableBytes?.chart_versions ?? 0)} MB)`
        : '–',
    ),
    row("index.yaml identical to SQLite's (but `generated`)", (s) =>
      s.shared?.indexMatchesSqlite ? 'yes' : '**no**',
    ),
    row(
      'Push latency p50 / p99',
      (s, t) =>
        cell(s.pushLatency, (p) => `${ms(p.p50Ms.median)} / ${ms(p.p99Ms.median)} ms`) +
        times(t && ratio(s.pushLatency, t.pushLatency, p50Of)),
    ),
    row(
      `Pushes/s, ${results.settings.connections} clients, one repository`,
      vsSqlite((s) => s.pushThroughput),
    ),
    row(
      `Pushes/s, the same over ${REPOSITORIES_SPREAD} repositories`,
      vsSqlite((s) => s.pushSpread),
    ),
    row('Render after a push, same replica', (s) => cell(s.renderAfterPushMs, (f) => `${ms(f.median)} ms`)),
    row('Render after a push, read from a second replica', (s) =>
      cell(s.renderOnReplicaMs, (f) => `${ms(f.median)} ms`),
    ),
    row(
      'GET index.yaml',
      vsSqlite((s) => s.indexPlain),
    ),
    row(
      'GET index.yaml gzip',
      vsSqlite((s) => s.indexGzip),
    ),
    row(
      'GET index.yaml → 304',
      vsSqlite((s) => s.index304),
    ),
    row(
      'GET index.yaml → 304, access control enforced',
      vsSqlite((s) => s.index304Enforced),
    ),
    row(
      'GET /api/charts/&lt;name&gt;',
      vsSqlite((s) => s.chartApi),
    ),
    row(
      'GET /api/search?q=',
      vsSqlite((s) => s.search),
    ),
    row(
      'GET &lt;repo&gt;/charts/&lt;file&gt;.tgz (through S3)',
      vsSqlite((s) => s.packageGet),
    ),
    row(
      'OCI manifest GET',
      vsSqlite((s) => s.ociManifest),
    ),
    row(
      'OCI blob GET (through S3)',
      vsSqlite((s) => s.ociBlob),
    ),
    row('Cold start of a replica to first index.yaml', (s) => `${ms(s.coldStartMs.median)} ms`),
    row('RSS after start / after reads / after pushes', (s) => {
      const m = s.memory;
      return `${int(m.afterStart.median)} / ${int(m.afterReads)} / ${int(m.afterPushes)} MB`;
    }),
    row('Peak RSS (VmHWM)', (s) => `${int(s.memory.peak)} MB`),
    row('index.yaml size (plain / gzip)', (s) => `${mb(s.index.plainBytes)} / ${mb(s.index.gzipBytes)} MB`),
    '',
  ];
}

/** The issue's targets for PostgreSQL + Ceph; relative ones against the SQLite row of each size. */
export function evaluateSharedTargets(sqlite: SizeResult[], pg: SizeResult[]): Target[] {
  const largest = pg.at(-1);
  if (!largest) return [];
  const targets: Target[] = [];
  const prefix = 'PostgreSQL + Ceph:';
  const at = `at ${int(largest.versions)} versions`;
  const verdict = (ok: boolean): Target['result'] => (ok ? 'PASS' : 'MISS');
  const skip = (target: string, measured: string): Target => ({ target, measured, result: 'SKIPPED' });

  const pairs = pg.flatMap((s) => {
    const t = twin(sqlite, s);
    return t ? [{ s, t }] : [];
  });
  const relative = (
    target: string,
    figures: Array<{ label: string; r: number | undefined }>,
    ok: (r: number) => boolean,
  ) => {
    const measured = figures.filter((f) => f.r !== undefined) as Array<{ label: string; r: number }>;
    if (measured.length === 0) return skip(target, 'needs the SQLite row of the same size');
    return {
      target,
      measured: measured.map((f) => `${f.label}: ${f.r.toFixed(2)}×`).join('; '),
      result: verdict(measured.every((f) => ok(f.r))),
    };
  };
  targets.push(
    relative(
      `${prefix} push p50 at most 3× the SQLite figure`,
      pairs.map(({ s, t }) => ({ label: int(s.versions), r: ratio(s.pushLatency, t.pushLatency, p50Of) })),
      (r) => r <= 3,
    ),
  );
  const renders = [largest.renderAfterPushMs, largest.renderOnReplicaMs].filter(isMeasured);
  const renderTarget = `${prefix} render after a push ${at} under 1 s (same replica, second replica)`;
  targets.push(
    renders.length > 0
      ? {
          target: renderTarget,
          measured: renders.map((f) => `${ms(f.median)} ms`).join(', '),
          result: verdict(renders.every((f) => f.median < 1000)),
        }
      : skip(renderTarget, why(largest.renderAfterPushMs as { skipped: string })),
  );
  targets.push({
    target: `${prefix} cold start of a replica ${at} under 2 s`,
    measured: `${ms(largest.coldStartMs.median)} ms`,
    result: verdict(largest.coldStartMs.median < 2000),
  });
  for (const [label, pick] of [
    ['index.yaml', (s: SizeResult) => s.indexPlain],
    ['index.yaml gzip', (s: SizeResult) => s.indexGzip],
    ['304', (s: SizeResult) => s.index304],
  ] as const) {
    targets.push(
      relative(
        `${prefix} ${label} req/s at least 0.5× the SQLite figure, every index.yaml after a push carrying a new ETag`,
        pairs.map(({ s, t }) => ({ label: int(s.versions), r: ratio(pick(s), pick(t), rpsOf) })),
        (r) => r >= 0.5,
      ),
    );
  }
  const resident = Math.max(largest.memory.afterReads, largest.memory.afterPushes);
  targets.push({
    target: `${prefix} resident memory of a replica ${at} under 300 MB`,
    measured: `${int(resident)} MB after serving and pushing (peak ${int(largest.memory.peak)} MB)`,
    result: verdict(resident < 300),
  });
  targets.push({
    target: `${prefix} the copied store serves the index.yaml SQLite serves (every size)`,
    measured: pg
      .map((s) => `${int(s.versions)}: ${s.shared?.indexMatchesSqlite ? 'same' : 'different'}`)
      .join('; '),
    result: verdict(pg.every((s) => s.shared?.indexMatchesSqlite === true)),
  });
  return targets;
}
