/**
 * `charthouse retention [--dry-run] [--json]`: applies every repository's retention rule to all
 * its charts now, as a push applies it to the pushed chart. Removed versions disappear from
 * index.yaml and /v2 at once; their blobs are left to `charthouse gc`. Resolves to the exit code.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCommandLine } from '../config/command-line.js';
import { ConfigError } from '../config/config.js';
import { describeRepository } from '../repositories.js';
import { openStores, usesLocalDatabase } from '../store/open-stores.js';
import { createLifecycle, type RetentionReport } from './lifecycle.js';

export interface RetentionIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export function formatRetention(report: RetentionReport): string {
  const verb = report.dryRun ? 'would remove' : 'removed';
  if (report.removed.length === 0) return `retention: nothing to remove\n`;
  const lines = report.removed.map(
    (v) => `${verb} ${v.name} ${v.version} from ${describeRepository(v.repository)}`,
  );
  const tail = report.dryRun ? '' : '\nthe packages stay in the blob store until charthouse gc';
  return `${lines.join('\n')}\n${verb} ${report.removed.length} version(s)${tail}\n`;
}

export async function runRetentionCommand(args: readonly string[], io: RetentionIo): Promise<number> {
  const { flags, positionals, config } = readCommandLine('retention', args, io.env);
  if (positionals.length > 0)
    throw new ConfigError(`unexpected argument ${positionals[0]}: charthouse retention [--dry-run] [--json]`);
  if (usesLocalDatabase(config) && !existsSync(join(config.storage, 'charthouse.db'))) {
    io.stderr.write(`charthouse: no Charthouse store in ${config.storage}: charthouse.db is missing\n`);
    return 1;
  }
  const stores = await openStores(config);
  try {
    const report = await createLifecycle(stores).runRetention({ dryRun: flags.has('dry-run') });
    io.stdout.write(flags.has('json') ? `${JSON.stringify(report, null, 2)}\n` : formatRetention(report));
    return 0;
  } finally {
    await stores.close();
  }
}
