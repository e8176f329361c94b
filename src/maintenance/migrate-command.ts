/**
 * `charthouse migrate-store --from <side> --to <side>`. A side is a storage directory (SQLite and
 * blobs on disk), or a postgres:// URL with `--from-blob-store s3://bucket/prefix` (or
 * `--from-storage DIR` for blobs on disk); likewise `--to`. Mixed sides work too: a directory with
 * `--to-blob-store` keeps SQLite there and the blobs in S3. The S3 options (--s3-endpoint,
 * --s3-region, --s3-force-path-style) and AWS_* credentials apply to both sides.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandLine } from '../config/command-line.js';
import { type Config, ConfigError } from '../config/config.js';
import type { StoreConfig } from '../store/open-stores.js';
import { type CommandIo, progressFor } from './commands.js';
import { migrateStore, migrationClean } from './migrate-store.js';
import { formatMigration } from './report-text.js';

const isDatabaseUrl = (where: string) => /^postgres(ql)?:\/\//.test(where);

function sideConfig(
  given: Map<string, string>,
  side: 'from' | 'to',
  config: Config,
  scratch: string,
): StoreConfig {
  const where = given.get(side);
  const blobStore = given.get(`${side}-blob-store`);
  const storage = given.get(`${side}-storage`);
  if (!where) throw new ConfigError(`--${side} is required: a storage directory or a postgres:// URL`);
  const s3 = {
    s3Endpoint: config.s3Endpoint,
    s3Region: config.s3Region,
    s3ForcePathStyle: config.s3ForcePathStyle,
  };
  if (!isDatabaseUrl(where)) {
    if (storage !== undefined) {
      throw new ConfigError(
        `--${side}-storage goes with a postgres:// --${side}; here --${side} is the directory`,
      );
    }
    return { storage: where, ...(blobStore && { blobStore }), ...s3 };
  }
  if (!blobStore && !storage) {
    throw new ConfigError(
      `--${side} names a database, not where its blobs are: add --${side}-blob-store s3://bucket/prefix (or --${side}-storage DIR for blobs on disk)`,
    );
  }
  // with S3 blobs, the directory only holds bytes being received
  return { storage: storage ?? join(scratch, side), database: where, ...(blobStore && { blobStore }), ...s3 };
}

export async function runMigrateStoreCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { flags: given, positionals, config } = readCommandLine('migrate-store', args, io.env);
  if (positionals.length > 0) throw new ConfigError(`unexpected argument ${positionals[0]}`);
  const scratch = await mkdtemp(join(tmpdir(), 'charthouse-migrate-'));
  try {
    const report = await migrateStore({
      from: sideConfig(given, 'from', config, scratch),
      to: sideConfig(given, 'to', config, scratch),
      progress: progressFor(io),
    });
    io.stdout.write(
      given.has('json') ? `${JSON.stringify(report, null, 2)}\n` : formatMigration('migrate-store', report),
    );
    return migrationClean(report) ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
