/**
 * `charthouse import <source> --into <repo>`: a Helm repository URL, an `oci://` repository or a
 * directory (plain, or ChartMuseum storage with `--depth`), into the stores the server options
 * name (--storage, --database, --blob-store) or into a running server (`--server URL`).
 * Exit code 0 when nothing failed, 1 otherwise (conflicts alone are not failures), 2 for a
 * command line it cannot use.
 */

import { readFile } from 'node:fs/promises';
import { readCommandLine } from '../config/command-line.js';
import { type Config, ConfigError } from '../config/config.js';
import { type CommandIo, progressFor } from '../maintenance/commands.js';
import { repositoryProblem } from '../repositories.js';
import { openStores } from '../store/open-stores.js';
import { createDirectorySource } from './directory-source.js';
import { collectEveryFewVersions } from './full-collection.js';
import { createHelmRepoSource } from './helm-repo-source.js';
import { createHttpClient } from './http-client.js';
import { formatImport } from './import-summary.js';
import { ImportAborted, type ImportSource, type ImportTarget } from './import-types.js';
import { createLocalTarget } from './local-target.js';
import { createNameFilter } from './name-filter.js';
import { createOciClient } from './oci-client.js';
import { createOciSource, parseOciReference } from './oci-source.js';
import { defaultRegistryConfig, readRegistryCredentials } from './registry-credentials.js';
import { runImport } from './run-import.js';
import { createServerTarget } from './server-target.js';
import { SourceError } from './source-error.js';

const USAGE = 'charthouse import <source> --into <repo> [--server URL] [options]';
const DEFAULT_CONCURRENCY = 8;
const MAX_CONCURRENCY = 64;

type Given = Map<string, string>;

export async function runImportCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { flags: given, positionals, config } = readCommandLine('import', args, io.env);
  if (positionals.length !== 1) {
    throw new ConfigError(
      positionals.length === 0 ? `missing <source>: ${USAGE}` : `unexpected argument ${positionals[1]}`,
    );
  }
  const from = positionals[0] ?? '';
  const depth = readInteger(given, 'depth', 0, 0, 3);
  const concurrency = readInteger(given, 'concurrency', DEFAULT_CONCURRENCY, 1, MAX_CONCURRENCY);
  const into = given.get('into');
  if (into === undefined && !(isDirectory(from) && depth > 0)) {
    throw new ConfigError(`--into is required: the repository to import into (${USAGE})`);
  }
  const intoProblem = into === undefined ? undefined : repositoryProblem(into);
  if (intoProblem) throw new ConfigError(`--into ${JSON.stringify(into)}: ${intoProblem}`);

  let source: ImportSource | undefined;
  let target: ImportTarget | undefined;
  try {
    source = await openSource(from, into ?? '', depth, given, config, io, concurrency);
    target = await openTarget(given, config, io);
    const report = await runImport({
      source,
      target,
      filter: createNameFilter(given.get('include'), given.get('exclude')),
      concurrency,
      overwrite: given.has('overwrite'),
      dryRun: given.has('dry-run'),
      progress: progressFor(io),
      limits: { maxDecompressedSize: config.maxDecompressedSize, maxFileSize: config.maxFileSize },
      onSettled: collectEveryFewVersions(),
    });
    io.stdout.write(given.has('json') ? `${JSON.stringify(report, null, 2)}\n` : formatImport(report));
    return report.failed.length === 0 ? 0 : 1;
  } catch (err) {
    if (!(err instanceof SourceError || err instanceof ImportAborted)) throw err;
    io.stderr.write(`charthouse: ${err.message}\n`);
    return 1;
  } finally {
    source?.close();
    await target?.close();
  }
}

const isDirectory = (from: string) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(from);

async function openSource(
  from: string,
  into: string,
  depth: number,
  given: Given,
  config: Config,
  io: CommandIo,
  concurrency: number,
): Promise<ImportSource> {
  const maxPackageBytes = config.maxUploadSize;
  if (isDirectory(from)) return createDirectorySource({ dir: from, depth, into, maxPackageBytes });
  if (depth !== 0) throw new ConfigError('--depth applies to a directory source only');
  const ca = given.has('ca-file') ? await readCa(given.get('ca-file') ?? '') : undefined;
  const client = createHttpClient({ ca, maxSockets: concurrency });
  const username = given.get('username');
  const password = given.get('password') ?? io.env.CHARTHOUSE_IMPORT_PASSWORD;
  const token = given.get('token') ?? io.env.CHARTHOUSE_IMPORT_TOKEN;
  if (from.startsWith('oci://')) {
    const { host } = parseOciReference(from);
    const file = given.get('registry-config') ?? defaultRegistryConfig(io.env);
    const credentials =
      username !== undefined
        ? { username, password: password ?? '' }
        : await readRegistryCredentials(file, host, given.has('registry-config'));
    const oci = createOciClient({ host, plainHttp: given.has('plain-http'), credentials, client });
    return createOciSource({
      reference: from,
      repository: into,
      client: oci,
      close: client.close,
      maxPackageBytes,
    });
  }
  if (!/^https?:\/\//i.test(from)) {
    throw new ConfigError(
      `${from}: a source is an http(s):// Helm repository, an oci:// repository or a directory`,
    );
  }
  const authorization = token
    ? `Bearer ${token}`
    : username !== undefined
      ? `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}`
      : undefined;
  return createHelmRepoSource({
    url: from,
    repository: into,
    client,
    authorization,
    passCredentials: given.has('pass-credentials'),
    maxPackageBytes,
  });
}

async function openTarget(given: Given, config: Config, io: CommandIo): Promise<ImportTarget> {
  const server = given.get('server');
  if (server === undefined) {
    const where = config.database ? 'the configured database' : `storage ${config.storage}`;
    return createLocalTarget(await openStores(config), config, where);
  }
  if (!/^https?:\/\//i.test(server)) throw new ConfigError(`--server ${server}: expected an http(s):// URL`);
  return createServerTarget(server, {
    username: given.get('server-username'),
    password: given.get('server-password') ?? io.env.CHARTHOUSE_SERVER_PASSWORD,
    token: given.get('server-token') ?? io.env.CHARTHOUSE_SERVER_TOKEN,
  });
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`--ca-file ${file}: ${(err as Error).message}`);
  }
}

function readInteger(given: Given, flag: string, fallback: number, min: number, max: number): number {
  const raw = given.get(flag);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`--${flag} ${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
  }
  return value;
}
