import type { ImportReport, Outcome } from './run-import.js';

/** The summary printed at the end of an import, for people; `--json` prints the report itself. */
export function formatImport(report: ImportReport): string {
  const imported = report.dryRun ? 'would import' : 'imported';
  const counts = [
    `${imported} ${report.imported.length}`,
    `skipped ${report.skipped.length} (already stored)`,
    `conflicting ${report.conflicting.length}`,
    `failed ${report.failed.length}`,
  ];
  if (report.excluded > 0) counts.push(`excluded ${report.excluded} by --include/--exclude`);
  const lines = [`${report.source} → ${report.target}`, counts.join(', ')];
  if (report.conflicting.length > 0) {
    lines.push('', 'conflicting (left as stored):', ...report.conflicting.map(outcomeLine));
  }
  if (report.failed.length > 0) lines.push('', 'failed:', ...report.failed.map(outcomeLine));
  return `${lines.join('\n')}\n`;
}

function outcomeLine(outcome: Outcome): string {
  const what = outcome.name ? `${outcome.name} ${outcome.version}` : outcome.from;
  const where = outcome.repository ? ` in ${outcome.repository}` : '';
  return `  ${what}${where}: ${outcome.reason ?? ''}`;
}
