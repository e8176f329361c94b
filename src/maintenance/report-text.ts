import type { TransferReport } from './backup.js';
import type { CheckReport, Finding } from './check.js';
import type { GcReport } from './gc.js';
import type { MigrateReport } from './migrate-store.js';
import { formatBytes } from './progress.js';

/** The plain-text reports of the maintenance commands, for people; `--json` prints the reports as they are. */
export function formatCheck(report: CheckReport, repair: boolean): string {
  const lines = [
    `checked ${report.references} rows referring to ${report.blobs} blobs (${formatBytes(report.bytes)} re-hashed)`,
  ];
  if (report.problems.length > 0) {
    lines.push('', `problems (${report.problems.length}):`);
    for (const f of report.problems) {
      lines.push(findingLine(f));
      if (f.remedy) lines.push(`  ${''.padEnd(16)} ${repair ? 'not repaired: ' : 'to fix: '}${f.remedy}`);
    }
    if (repair) lines.push('--repair removes leftovers only: it never deletes anything to hide a problem');
  }
  if (report.leftovers.length > 0) {
    lines.push('', `leftovers (${report.leftovers.length}), invisible to clients:`);
    lines.push(...report.leftovers.map((f) => findingLine(f, repair)));
    const pending = report.leftovers.filter((f) => !f.repaired).length;
    if (pending > 0) {
      lines.push(
        repair
          ? `${pending} kept: written within --grace, or in use`
          : 'charthouse check --repair removes those older than --grace (gc too, except upload sessions)',
      );
    }
  }
  lines.push('', report.clean ? 'clean' : `${report.problems.length} problem(s): see above`);
  return `${lines.join('\n')}\n`;
}

function findingLine(finding: Finding, repair = false): string {
  const mark = repair ? (finding.repaired ? ' [removed]' : ' [kept]') : '';
  return `  ${finding.kind.padEnd(16)} ${finding.subject}  ${finding.detail}${mark}`;
}

export function formatGc(report: GcReport): string {
  const verb = report.dryRun ? 'would remove' : 'removed';
  const lines = [
    `scanned ${report.scanned} blobs: ${verb} ${report.removed.length} (${formatBytes(report.bytesFreed)}), ` +
      `kept ${report.referenced} referenced and ${report.recent} newer than the grace period`,
    `${verb} ${report.temporaryRemoved.length} temporary file(s)`,
  ];
  for (const blob of report.removed) lines.push(`  ${blob.digest}  ${formatBytes(blob.size)}`);
  return `${lines.join('\n')}\n`;
}

export function formatTransfer(verb: 'backup' | 'restore', report: TransferReport): string {
  const { blobs } = report;
  const lines = [
    `${verb}: ${report.from} → ${report.to}`,
    `  blobs copied: ${blobs.copied} (${formatBytes(blobs.bytes)}), already there: ${blobs.present}`,
    `  database: ${report.references} blob references, every one present`,
  ];
  if (blobs.missing.length > 0 || blobs.corrupt.length > 0) {
    lines[2] = `  database: ${report.references} blob references`;
    for (const digest of blobs.missing) lines.push(`  missing in the source: ${digest}`);
    for (const digest of blobs.corrupt) lines.push(`  corrupt in the source (not copied): ${digest}`);
  }
  return `${lines.join('\n')}\n`;
}

/** migrate-store's summary, and backup's and restore's off the default backends. */
export function formatMigration(verb: string, report: MigrateReport): string {
  const { blobs } = report;
  const lines = [
    `${verb}: ${report.from} → ${report.to}`,
    `  blobs copied: ${blobs.copied} (${formatBytes(blobs.bytes)}), already there: ${blobs.present}`,
  ];
  for (const [table, counts] of Object.entries(report.rows)) {
    const skipped = counts.skipped > 0 ? `, not copied: ${counts.skipped}` : '';
    lines.push(
      `  ${`${table}:`.padEnd(14)} copied ${counts.copied}, already there: ${counts.present}${skipped}`,
    );
  }
  if (report.problems.length > 0) {
    lines.push('', `problems (${report.problems.length}):`, ...report.problems.map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
