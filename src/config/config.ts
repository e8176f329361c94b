import { readFileSync } from 'node:fs';
import type { AuthMode } from '../auth/access-control.js';
import { type ConfigOption, configOptions, type OptionValues } from './config-options.js';
import { readArgv, readConfigFile, readEnv } from './config-sources.js';
import { ConfigError, InvalidValue, type TrustProxy } from './config-values.js';

export { type AnyConfigOption, type ConfigOption, configOptions } from './config-options.js';
export { ConfigError } from './config-values.js';

/** The server's configuration: one frozen object built by loadConfig (see the option table). */
export interface Config {
  host: string;
  port: number;
  storage: string;
  /** '' for SQLite under `storage`, or a postgres:// URL */
  database: string;
  /** '' for blobs on disk under `storage`, or s3://bucket/prefix */
  blobStore: string;
  /** S3 endpoint URL for blobStore; '' for AWS */
  s3Endpoint: string;
  /** '' for AWS_REGION, else us-east-1 */
  s3Region: string;
  s3ForcePathStyle: boolean;
  contextPath: string;
  chartUrl: string;
  maxUploadSize: number;
  maxDecompressedSize: number;
  maxFileSize: number;
  /** the largest OCI manifest accepted, in bytes */
  maxManifestSize: number;
  /** uploads handled at once; more wait in the upload queue */
  maxConcurrentUploads: number;
  /** uploads that may wait for a slot, unread; beyond them the answer is 429 */
  uploadQueueLength: number;
  /** milliseconds an upload may wait for a slot (at most half of requestTimeout) before its 429 */
  uploadQueueTimeout: number;
  /** milliseconds an OCI upload session may sit untouched before it expires and its bytes go */
  uploadSessionTtl: number;
  /** milliseconds to receive one whole request; 0 for no limit */
  requestTimeout: number;
  allowOverwrite: boolean;
  disableForceOverwrite: boolean;
  disableApi: boolean;
  disableDelete: boolean;
  chartPostFormFieldName: string;
  provPostFormFieldName: string;
  logLevel: string;
  /** `json`, `pretty`, or `auto`: pretty when stdout is a terminal (log-options.ts) */
  logFormat: string;
  /** serve /metrics (off: 404) */
  metrics: boolean;
  /** `host:port` of a listener of its own for /metrics; '' serves it on the main port */
  metricsAddress: string;
  /** refuse OCI content that is not a Helm chart (images, signatures, SBOMs) with UNSUPPORTED */
  ociChartsOnly: boolean;
  /** access control: `off`, `on`, or `auto` (enforced once a server admin exists) */
  auth: AuthMode;
  /** anyone may read repositories whose visibility was never set (new ones are stored public) */
  anonymousRead: boolean;
  /** milliseconds a web UI sign-in session may go unused before it ends */
  sessionIdleTimeout: number;
  /** milliseconds a web UI sign-in session lasts after sign-in, however active */
  sessionLifetime: number;
  /** whose X-Forwarded-For, -Host and -Proto to believe: no proxy, any, the nearest n hops, or these addresses */
  trustProxy: TrustProxy;
}

function assign<K extends keyof OptionValues>(
  values: Partial<OptionValues>,
  option: ConfigOption<K>,
  raw: string,
): void {
  values[option.key] = option.parse(raw);
}

// The table's defaults go through the same parsers as any value, so they are written only once.
const defaults: Partial<OptionValues> = {};
for (const option of configOptions) assign(defaults, option, option.default);

function toConfig(values: Partial<OptionValues>): Config {
  const { config: _file, ...rest } = values;
  // Every key is present: `values` starts from the defaults, and the table covers Config (tested).
  return Object.freeze(rest as Config);
}

export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return toConfig({ ...defaults, ...overrides });
}

/**
 * Builds the Config from, lowest first: the table's defaults, the YAML file named by `--config`
 * or CHARTHOUSE_CONFIG, the environment, and `argv` (the arguments after the command name).
 * Throws ConfigError, with one line naming the option, for anything it cannot use.
 */
export function loadConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Config {
  const fromArgv = readArgv(argv);
  const fromEnv = readEnv(env);
  const configOption = configOptions.find((option) => option.key === 'config');
  const file = configOption && (fromArgv.get(configOption) ?? fromEnv.get(configOption))?.raw.trim();
  const fromFile = file ? readConfigFile(file, readFile) : new Map();

  const values: Partial<OptionValues> = { ...defaults };
  for (const option of configOptions) {
    const given = fromArgv.get(option) ?? fromEnv.get(option) ?? fromFile.get(option);
    if (!given) continue;
    try {
      assign(values, option, given.raw);
    } catch (err) {
      if (!(err instanceof InvalidValue)) throw err;
      throw new ConfigError(
        `invalid value for --${option.flag}${given.source}: ${JSON.stringify(given.raw)} ${err.message}`,
      );
    }
  }
  const config = toConfig(values);
  if (config.chartPostFormFieldName === config.provPostFormFieldName) {
    throw new ConfigError(
      `invalid value for --prov-post-form-field-name: "${config.provPostFormFieldName}" is also the chart field name`,
    );
  }
  return config;
}

/** `charthouse --help`: the commands, then every option of the table with its variable and default. */
export function renderHelp(): string {
  const usages = configOptions.map((option) => `--${option.flag}${option.value ? ` ${option.value}` : ''}`);
  const width = Math.max(...usages.map((usage) => usage.length)) + 4;
  const lines = [
    'Usage: charthouse [serve|migrate|migrate-store|check|gc|backup|restore|user|token|repo|retention|import|export|help] [options]',
    '',
    'Commands:',
    '  serve       start the server (the default command)',
    '  migrate     create or upgrade the database (--database, or SQLite under --storage), then exit',
    '  check       verify the store: rows, blobs, digests, packages, stale uploads [--json] [--repair] [--grace 1h]',
    '              with --signatures: verify every stored .prov again against the keys trusted now',
    '  gc          remove blobs no row refers to, older than --grace (default 1h) [--json] [--dry-run]',
    '  backup DIR  copy the store to DIR while the server runs [--force]',
    '  restore DIR copy a backup from DIR into --storage (refuses a non-empty one without --force)',
    '  (check, gc, backup and restore take --database and --blob-store too; backup then writes a storage directory)',
    '  migrate-store --from SIDE --to SIDE [--json]  copy a whole store between backends, digests verified;',
    '              a re-run copies only what is missing. SIDE is a storage directory (SQLite + disk), or',
    '              postgres://… with --from-blob-store s3://bucket/prefix (or --from-storage DIR for blobs',
    '              on disk); likewise --to, --to-blob-store, --to-storage. The --s3-* options apply to both.',
    "  retention   apply every repository's retention rule now [--dry-run] [--json] (lists what goes)",
    '  import SOURCE --into REPO  import every chart version from a Helm repository URL (--username/--password,',
    '              --token, --ca-file), an oci://host/path (--plain-http, --registry-config) or a directory',
    '              (ChartMuseum storage with --depth N); into --storage, or a running --server URL',
    '              (--server-username/--server-password or --server-token). [--dry-run] [--concurrency 8]',
    '              [--include GLOBS] [--exclude GLOBS] [--overwrite] [--json]; a re-run skips what is stored',
    '  export REPO DIR [--base-url URL]  write REPO as a static Helm repository (index.yaml, charts/) [--force]',
    '  help        print this help (also --help, -h); --version prints the version',
    '',
    'Users, tokens and repository permissions (in the store that --storage or --database names; the server may be running):',
    '  user add NAME [--admin] [--password-stdin]     add a user (a server admin with --admin)',
    '  user list [--json]                             list users',
    '  user remove NAME                               remove a user with their tokens and roles',
    '  user passwd NAME [--password-stdin]            change a password',
    '  token create USER NAME [--expires-in 90d|--expires DATE]  print a new token (shown once)',
    '  token list [USER] [--json]                     list tokens with their status, never secrets',
    '  token revoke USER NAME                         revoke a token',
    '  repo create PATH [--visibility public|private] create a repository ("/" is the root one)',
    '  repo list [--json]                             list repositories, visibility and members',
    '  repo set-visibility PATH public|private        make a repository public-read or private',
    '  repo grant PATH USER read|write|admin          give a user a role in a repository',
    '  repo revoke PATH USER                          take a role away from a user',
    '  repo settings PATH [--json]                    show immutability, retention and Artifact Hub metadata',
    '  repo set-retention PATH --keep-last N [--keep-prereleases M] [--max-age 90d] | --clear',
    '                                                 keep the N highest releases (M prereleases) of each chart',
    '  repo set-immutable PATH                        no overwrite, no tag moves, admin-only deletes (one-way)',
    '  repo set-artifacthub PATH --file artifacthub-repo.yml | --clear  serve Artifact Hub metadata',
    '  repo set-policy PATH --signatures off|verify|require  verify or require signed charts (.prov)',
    '  repo policies [--json]                         list the signature policies set',
    '  key add REPO|--global FILE                     trust a public key (armored or binary, RSA or Ed25519)',
    '  key list [REPO|--global] [--json]              list trusted keys with their fingerprints',
    '  key remove REPO|--global FINGERPRINT           stop trusting a key (then: check --signatures)',
    'Without --password-stdin, a password is asked twice on the terminal, without echo.',
    '',
    'Options (flags beat environment variables, which beat the --config file):',
  ];
  configOptions.forEach((option, index) => {
    lines.push(`  ${(usages[index] ?? '').padEnd(width)}${option.help}`);
    const fallback = option.default === '' ? 'none' : option.default;
    lines.push(`  ${''.padEnd(width)}env ${option.env}, default: ${fallback}`);
  });
  lines.push(
    '',
    'Sizes are a byte count or a number with KiB, MiB, GiB (also k, m, g) or KB, MB, GB: 512k, 20MiB, 1GB.',
    'Durations are a number with ms, s, m, h or d: 30s, 5m, 1h (a bare number is seconds).',
    'Booleans: --allow-overwrite alone means true; values true, false, 1, 0, yes or no.',
  );
  return `${lines.join('\n')}\n`;
}
