/**
 * `charthouse export <repo> <dir> [--base-url URL] [--force] [--json]`, reading the store the
 * server options name (--storage, --database, --blob-store). `/` names the root repository.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCommandLine } from '../config/command-line.js';
import { ConfigError } from '../config/config.js';
import { InvalidValue, parseChartUrl } from '../config/config-values.js';
import { type CommandIo, progressFor } from '../maintenance/commands.js';
import { formatBytes } from '../maintenance/progress.js';
import { repositoryProblem } from '../repositories.js';
import { openStores, usesLocalDatabase } from '../store/open-stores.js';
import { ExportError, exportRepository } from './export-repository.js';

const USAGE = 'charthouse export <repo> <dir> [--base-url URL]';

export async function runExportCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { flags: given, positionals, config } = readCommandLine('export', args, io.env);
  if (positionals.length !== 2) {
    throw new ConfigError(
      positionals.length < 2
        ? `missing ${positionals.length === 0 ? '<repo>' : '<dir>'}: ${USAGE}`
        : `unexpected argument ${positionals[2]}`,
    );
  }
  const [path = '', dir = ''] = positionals;
  const repository = path === '/' ? '' : path;
  const problem = repositoryProblem(repository);
  if (problem) throw new ConfigError(`${JSON.stringify(path)}: ${problem}`);
  const baseUrl = readBaseUrl(given.get('base-url'));
  if (usesLocalDatabase(config) && !existsSync(join(config.storage, 'charthouse.db'))) {
    io.stderr.write(`charthouse: no Charthouse store in ${config.storage}: charthouse.db is missing\n`);
    return 1;
  }
  const stores = await openStores(config);
  try {
    const report = await exportRepository({
      ...stores,
      repository,
      dir,
      baseUrl,
      force: given.has('force'),
      progress: progressFor(io),
    });
    io.stdout.write(
      given.has('json')
        ? `${JSON.stringify(report, null, 2)}\n`
        : `exported ${report.versions} versions (${report.provenance} with provenance, ${formatBytes(report.bytes)}) to ${dir}\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof ExportError)) throw err;
    io.stderr.write(`charthouse: ${err.message}\n`);
    return 1;
  } finally {
    await stores.close();
  }
}

function readBaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return parseChartUrl(raw) || undefined;
  } catch (err) {
    if (!(err instanceof InvalidValue)) throw err;
    throw new ConfigError(`invalid value for --base-url: ${JSON.stringify(raw)} ${err.message}`);
  }
}
