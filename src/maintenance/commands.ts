/**
 * The maintenance commands of the `charthouse` CLI: `check`, `gc`, `backup DIR`, `restore DIR`.
 * Each takes the server's options (for --storage and the package limits) plus its own flags, and
 * resolves to the exit code: 0 done and clean, 1 problems found (or a refusal), while a command
 * line it cannot use throws ConfigError (exit 2).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCommandLine } from '../config/command-line.js';
import { type Config, ConfigError } from '../config/config.js';
import { InvalidValue, parseDuration } from '../config/config-values.js';
import { openStores, type Stores, usesLocalDatabase } from '../store/open-stores.js';
import { checkSignatures, formatSignatureReport } from '../trust/check-signatures.js';
import { backupStore, MaintenanceError, restoreStore } from './backup.js';
import { checkStore } from './check.js';
import { collectGarbage } from './gc.js';
import { migrationClean } from './migrate-store.js';
import { createProgress, type Progress, type ProgressStream } from './progress.js';
import { formatCheck, formatGc, formatMigration, formatTransfer } from './report-text.js';
import { backupSharedStore, restoreSharedStore } from './shared-transfer.js';

export const maintenanceCommands = ['check', 'gc', 'backup', 'restore'] as const;
export type MaintenanceCommand = (typeof maintenanceCommands)[number];

export function isMaintenanceCommand(command: string): command is MaintenanceCommand {
  return (maintenanceCommands as readonly string[]).includes(command);
}

export interface CommandIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  /** progress goes here, only when it is a terminal and `CI` is not set */
  stderr: ProgressStream;
}

const DEFAULT_GRACE = '1h';

export async function runMaintenanceCommand(
  command: MaintenanceCommand,
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const { flags, positionals, config } = readCommandLine(command, args, io.env);
  const needsDir = command === 'backup' || command === 'restore';
  if (positionals.length !== (needsDir ? 1 : 0)) {
    throw new ConfigError(
      needsDir
        ? `${command} takes one directory: charthouse ${command} DIR`
        : `unexpected argument ${positionals[0]}`,
    );
  }
  const json = flags.has('json');
  const progress = progressFor(io);
  const print = (report: unknown, text: string) =>
    io.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : text);
  try {
    if (command === 'backup' || command === 'restore') {
      const dir = positionals[0] ?? '';
      const force = flags.has('force');
      if (!usesLocalDatabase(config) || config.blobStore) {
        const shared =
          command === 'backup'
            ? await backupSharedStore({ store: config, to: dir, force, progress })
            : await restoreSharedStore({ from: dir, store: config, force, progress });
        print(shared, formatMigration(command, shared));
        return migrationClean(shared) ? 0 : 1;
      }
      const report =
        command === 'backup'
          ? await backupStore({ from: config.storage, to: dir, force, progress })
          : await restoreStore({ from: dir, to: config.storage, force, progress });
      print(report, formatTransfer(command, report));
      return report.blobs.missing.length + report.blobs.corrupt.length === 0 ? 0 : 1;
    }
    const graceMs = readGrace(flags.get('grace'));
    return await withStores(config, async (stores) => {
      if (command === 'gc') {
        const release = await lockGc(stores);
        try {
          const report = await collectGarbage({ ...stores, graceMs, dryRun: flags.has('dry-run'), progress });
          print(report, formatGc(report));
          return 0;
        } finally {
          await release();
        }
      }
      if (flags.has('signatures')) {
        const signatures = await checkSignatures(stores);
        print(signatures, formatSignatureReport(signatures));
        return signatures.clean ? 0 : 1;
      }
      const repair = flags.has('repair');
      const limits = { maxDecompressedSize: config.maxDecompressedSize, maxFileSize: config.maxFileSize };
      const report = await checkStore({
        ...stores,
        limits,
        repair,
        graceMs,
        progress,
        uploads: stores.sessions,
        uploadTtlMs: config.uploadSessionTtl,
      });
      print(report, formatCheck(report, repair));
      return report.clean ? 0 : 1;
    });
  } catch (err) {
    if (!(err instanceof MaintenanceError)) throw err;
    io.stderr.write(`charthouse: ${err.message}\n`);
    return 1;
  }
}

/** The progress bar on stderr when it is a terminal, outside CI. */
export function progressFor(io: CommandIo): Progress {
  // CI logs are often attached to a pseudo-terminal: a redrawn line would only litter them
  const inCi = Boolean(io.env.CI) && !/^(0|false)$/i.test(io.env.CI ?? '');
  return createProgress(inCi ? undefined : io.stderr);
}

/** One gc at a time on a store that replicas share (an advisory lock on PostgreSQL). */
async function lockGc(stores: Stores): Promise<() => Promise<void>> {
  if (!stores.lockTask) return async () => undefined;
  const release = await stores.lockTask('gc');
  if (!release) {
    throw new MaintenanceError('another gc is running on this store: try again once it has finished');
  }
  return release;
}

async function withStores<T>(config: Config, work: (stores: Stores) => Promise<T>) {
  // Opening the store would create an empty one: a mistyped --storage must not look clean.
  if (usesLocalDatabase(config) && !existsSync(join(config.storage, 'charthouse.db'))) {
    throw new MaintenanceError(`no Charthouse store in ${config.storage}: charthouse.db is missing`);
  }
  const stores = await openStores(config);
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}

function readGrace(raw: string | undefined): number {
  try {
    return parseDuration(raw ?? DEFAULT_GRACE);
  } catch (err) {
    if (!(err instanceof InvalidValue)) throw err;
    throw new ConfigError(`invalid value for --grace: ${JSON.stringify(raw)} ${err.message}`);
  }
}
