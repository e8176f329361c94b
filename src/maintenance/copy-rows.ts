import { authTables } from './auth-rows.js';
import { chartTables } from './chart-rows.js';
import { ociTables } from './oci-rows.js';
import type { Progress } from './progress.js';
import type { RowTable, RowTarget } from './row-table.js';
import { settingsTables } from './settings-rows.js';
import type { Query, Row, SqlPort } from './sql-port.js';

/** Rows per page read from the source, and per write transaction in the destination. */
const PAGE = 500;

/** In copy order: every row after the rows it refers to. */
export const copiedTables: RowTable[] = [...chartTables, ...authTables, ...ociTables, ...settingsTables];

export interface RowCounts {
  copied: number;
  /** already in the destination, as they are in the source */
  present: number;
  /** not copied: see the report's problems */
  skipped: number;
}

export interface RowsReport {
  tables: Record<string, RowCounts>;
  /** one line per row not copied, saying why */
  problems: string[];
}

export interface CopyRowsOptions {
  source: SqlPort;
  target: SqlPort;
  /**
   * Makes the blobs present in the destination; resolves, for each digest that cannot be, why
   * (missing or corrupt in the source). A row that refers to such a blob is not copied.
   */
  ensureBlobs(digests: string[]): Promise<Map<string, string>>;
  progress: Progress;
  /** receives the destination's repository id and chart name of every chart a copied row changed */
  touched: Map<number, Set<string>>;
}

/**
 * Copies every table's rows in one snapshot of the source (so the copy is the source at one
 * moment, even while it serves), page by page: first the blobs a page refers to, then the page's
 * rows in one write transaction of the destination.
 */
export async function copyRows(options: CopyRowsOptions): Promise<RowsReport> {
  const { source, target, progress } = options;
  const report: RowsReport = { tables: {}, problems: [] };
  const cache = createTargetCache();
  await source.snapshot(async (read) => {
    let total = 0;
    for (const table of copiedTables) {
      const [count] = await read<{ n: number }>(`SELECT count(*) AS n FROM (${table.select}) AS counted`);
      total += Number(count?.n ?? 0);
    }
    progress.start('rows', total);
    for (const table of copiedTables) {
      const counts: RowCounts = { copied: 0, present: 0, skipped: 0 };
      report.tables[table.name] = counts;
      for await (const page of readPages(read, table)) {
        const digests = [...new Set(page.flatMap((row) => table.blobs?.(row) ?? []))];
        const unusable = await options.ensureBlobs(digests);
        await target.transaction(async (query) => {
          const rowTarget = cache.bind(query, target.dialect, options.touched);
          for (const row of page) {
            const blob = (table.blobs?.(row) ?? []).find((digest) => unusable.has(digest));
            const outcome = blob
              ? { skipped: `its blob sha256:${blob} is ${unusable.get(blob)}` }
              : await table.write(rowTarget, row);
            if (typeof outcome === 'string') counts[outcome]++;
            else {
              counts.skipped++;
              report.problems.push(`${table.describe(row)} not copied: ${outcome.skipped}`);
            }
          }
        });
        progress.advance(page.length);
      }
    }
    progress.done();
  });
  return report;
}

/** Pages of a table in key order: `WHERE (keys) > (last page's keys)`, so no OFFSET scan. */
async function* readPages(read: Query, table: RowTable): AsyncGenerator<Row[]> {
  const columns = table.key.map((k) => k.column).join(', ');
  let after: unknown[] | undefined;
  for (;;) {
    const where = after ? ` WHERE (${columns}) > (${after.map(() => '?').join(', ')})` : '';
    const rows = await read(`${table.select}${where} ORDER BY ${columns} LIMIT ${PAGE}`, after ?? []);
    if (rows.length === 0) return;
    await table.complete?.(read, rows);
    yield rows;
    const last = rows[rows.length - 1] as Row;
    after = table.key.map((k) => last[k.field]);
    if (rows.length < PAGE) return;
  }
}

/** The destination's ids by natural key, remembered for the whole copy (ids never change). */
function createTargetCache() {
  const repositories = new Map<string, number>();
  const users = new Map<string, number>();
  const conflictedUsers = new Set<string>();
  return {
    bind(query: Query, dialect: 'sqlite' | 'postgres', touched: Map<number, Set<string>>): RowTarget {
      const lookup = async (cache: Map<string, number>, sql: string, key: string) => {
        const known = cache.get(key);
        if (known !== undefined) return known;
        const [row] = await query<{ id: number }>(sql, [key]);
        if (row) cache.set(key, Number(row.id));
        return row ? Number(row.id) : undefined;
      };
      return {
        query,
        dialect,
        conflictedUsers,
        repositoryId: (path) => lookup(repositories, 'SELECT id FROM repositories WHERE path = ?', path),
        userId: async (name) =>
          conflictedUsers.has(name) ? undefined : lookup(users, 'SELECT id FROM users WHERE name = ?', name),
        touch(repositoryId, chart) {
          const charts = touched.get(repositoryId) ?? new Set<string>();
          charts.add(chart);
          touched.set(repositoryId, charts);
        },
      };
    },
  };
}
