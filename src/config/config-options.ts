import { type AuthMode, authModes } from '../auth/access-control.js';
import { parseMetricsAddress } from '../metrics/metrics-address.js';
import {
  parseBlobStoreUrl,
  parseBoolean,
  parseChartUrl,
  parseChoice,
  parseContextPath,
  parseCountOrAuto,
  parseDatabaseUrl,
  parseDuration,
  parseOptionalUrl,
  parsePort,
  parsePositiveDuration,
  parseSize,
  parseText,
  parseTrustProxy,
  parseWholeNumber,
} from './config-values.js';

/**
 * One server option: its flag, variable, default and parser. `T` is what `parse` returns, so the
 * `Config` type is derived from the table (config.ts) and cannot drift from it.
 */
export interface ConfigOption<K extends string = string, T = unknown> {
  /** without the dashes: `max-upload-size` is given as `--max-upload-size` */
  flag: string;
  key: K;
  /** always `CHARTHOUSE_` + the flag upper-cased, `-` → `_` */
  env: string;
  /** as written in --help and .env.example; parsed like any other value ('' = none) */
  default: string;
  /** a boolean flag alone means true; it never takes the next argument as its value */
  boolean: boolean;
  /** placeholder for the value in --help */
  value: string;
  parse: (raw: string) => T;
  help: string;
}

interface OptionFields<T> {
  default: string;
  value?: string;
  parse: (raw: string) => T;
  help: string;
}

function defineOption<K extends string, T>(
  flag: string,
  key: K,
  fields: OptionFields<T>,
): ConfigOption<K, T> {
  const boolean = fields.parse === parseBoolean;
  return {
    ...fields,
    flag,
    key,
    env: `CHARTHOUSE_${flag.toUpperCase().replaceAll('-', '_')}`,
    boolean,
    value: boolean ? '' : (fields.value ?? '<text>'),
  };
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const logFormats = ['auto', 'json', 'pretty'] as const;

const size = '<size>';

export const configOptions = Object.freeze([
  defineOption('host', 'host', {
    default: '0.0.0.0',
    value: '<address>',
    parse: parseText,
    help: 'address to listen on',
  }),
  defineOption('port', 'port', {
    default: '8080',
    value: '<port>',
    parse: parsePort,
    help: 'port to listen on',
  }),
  defineOption('storage', 'storage', {
    default: './storage',
    value: '<dir>',
    parse: parseText,
    help: 'data directory: charthouse.db and blobs/ (with --database and --blob-store: temporary files only)',
  }),
  defineOption('database', 'database', {
    default: '',
    value: '<url>',
    parse: parseDatabaseUrl,
    help: 'metadata on PostgreSQL: postgres://user:password@host:5432/db (default: SQLite under --storage)',
  }),
  defineOption('blob-store', 'blobStore', {
    default: '',
    value: '<url>',
    parse: parseBlobStoreUrl,
    help: 'packages on S3-compatible storage: s3://bucket/prefix, credentials from AWS_* (default: disk under --storage)',
  }),
  defineOption('s3-endpoint', 's3Endpoint', {
    default: '',
    value: '<url>',
    parse: parseOptionalUrl,
    help: 'S3 endpoint for --blob-store, e.g. http://minio:9000 (default: AWS)',
  }),
  defineOption('s3-region', 's3Region', {
    default: '',
    value: '<region>',
    parse: (raw) => raw.trim(),
    help: 'S3 region for --blob-store (default: AWS_REGION, else us-east-1)',
  }),
  defineOption('s3-force-path-style', 's3ForcePathStyle', {
    default: 'false',
    parse: parseBoolean,
    help: 'address buckets as <endpoint>/<bucket> (MinIO, Ceph) instead of <bucket>.<endpoint>',
  }),
  defineOption('config', 'config', {
    default: '',
    value: '<file>',
    parse: (raw) => raw.trim(),
    help: 'YAML file with any of these options (keys are the flag names)',
  }),
  defineOption('context-path', 'contextPath', {
    default: '',
    value: '<path>',
    parse: parseContextPath,
    help: 'serve everything under this path prefix, e.g. /charts',
  }),
  defineOption('chart-url', 'chartUrl', {
    default: '',
    value: '<url>',
    parse: parseChartUrl,
    help: 'absolute http(s) URL prefix for package URLs in index.yaml',
  }),
  defineOption('max-upload-size', 'maxUploadSize', {
    default: '20MiB',
    value: size,
    parse: parseSize,
    help: 'largest request body; above it the answer is 413',
  }),
  defineOption('max-decompressed-size', 'maxDecompressedSize', {
    default: '100MiB',
    value: size,
    parse: parseSize,
    help: 'largest chart after decompression',
  }),
  defineOption('max-file-size', 'maxFileSize', {
    default: '5MiB',
    value: size,
    parse: parseSize,
    help: 'largest single file inside a chart',
  }),
  defineOption('max-manifest-size', 'maxManifestSize', {
    default: '4MiB',
    value: size,
    parse: parseSize,
    help: 'largest OCI manifest; above it the answer is 413',
  }),
  defineOption('max-concurrent-uploads', 'maxConcurrentUploads', {
    default: 'auto',
    value: '<count>',
    parse: parseCountOrAuto,
    help: 'uploads handled at once (chart API uploads, OCI blob uploads and manifest PUTs); auto is twice the CPUs, at least 4; more wait in the upload queue',
  }),
  defineOption('upload-queue-length', 'uploadQueueLength', {
    default: '512',
    value: '<count>',
    parse: parseWholeNumber,
    help: 'uploads that may wait for a slot, their bodies unread (0: none); beyond it the answer is 429 with Retry-After',
  }),
  defineOption('upload-queue-timeout', 'uploadQueueTimeout', {
    default: '60s',
    value: '<duration>',
    parse: parsePositiveDuration,
    help: 'longest wait for an upload slot (at most half of --request-timeout); then the answer is 429 with Retry-After',
  }),
  defineOption('upload-session-ttl', 'uploadSessionTtl', {
    default: '1h',
    value: '<duration>',
    parse: parsePositiveDuration,
    help: 'an OCI upload session untouched this long expires (404 BLOB_UPLOAD_UNKNOWN) and its bytes are removed',
  }),
  defineOption('request-timeout', 'requestTimeout', {
    default: '5m',
    value: '<duration>',
    parse: parseDuration,
    help: 'longest time to receive one whole request (0: no limit); beyond it the answer is 408',
  }),
  defineOption('allow-overwrite', 'allowOverwrite', {
    default: 'false',
    parse: parseBoolean,
    help: 're-uploads replace existing versions',
  }),
  defineOption('disable-force-overwrite', 'disableForceOverwrite', {
    default: 'false',
    parse: parseBoolean,
    help: 'ignore ?force on uploads',
  }),
  defineOption('disable-api', 'disableApi', {
    default: 'false',
    parse: parseBoolean,
    help: 'remove every /api route',
  }),
  defineOption('disable-delete', 'disableDelete', {
    default: 'false',
    parse: parseBoolean,
    help: 'remove the DELETE routes',
  }),
  defineOption('oci-charts-only', 'ociChartsOnly', {
    default: 'false',
    parse: parseBoolean,
    help: 'refuse OCI pushes that are not Helm charts (images, signatures, SBOMs)',
  }),
  defineOption('chart-post-form-field-name', 'chartPostFormFieldName', {
    default: 'chart',
    value: '<name>',
    parse: parseText,
    help: 'multipart field that carries the chart package',
  }),
  defineOption('prov-post-form-field-name', 'provPostFormFieldName', {
    default: 'prov',
    value: '<name>',
    parse: parseText,
    help: 'multipart field that carries the provenance file',
  }),
  defineOption('auth', 'auth', {
    default: 'auto',
    value: '<mode>',
    parse: (raw) => parseChoice(authModes)(raw) as AuthMode,
    help: 'access control: off, on, or auto (enforced once a server admin exists)',
  }),
  defineOption('anonymous-read', 'anonymousRead', {
    default: 'true',
    parse: parseBoolean,
    help: 'new repositories are public: anyone may read them without credentials',
  }),
  defineOption('session-idle-timeout', 'sessionIdleTimeout', {
    default: '12h',
    value: '<duration>',
    parse: parsePositiveDuration,
    help: 'a web UI sign-in session unused this long ends',
  }),
  defineOption('session-lifetime', 'sessionLifetime', {
    default: '7d',
    value: '<duration>',
    parse: parsePositiveDuration,
    help: 'a web UI sign-in session ends this long after sign-in, however active',
  }),
  defineOption('trust-proxy', 'trustProxy', {
    default: 'false',
    value: '<proxies>',
    parse: parseTrustProxy,
    help: 'believe X-Forwarded-For, -Host and -Proto from: true (any proxy), a hop count, or these proxy addresses/CIDRs (127.0.0.1,10.0.0.0/8)',
  }),
  defineOption('log-level', 'logLevel', {
    default: 'info',
    value: '<level>',
    parse: parseChoice(logLevels),
    help: `one of ${logLevels.join(', ')}`,
  }),
  defineOption('log-format', 'logFormat', {
    default: 'auto',
    value: '<format>',
    parse: parseChoice(logFormats),
    help: 'json (one JSON object a line), pretty (for people), or auto: pretty when stdout is a terminal',
  }),
  defineOption('metrics', 'metrics', {
    default: 'true',
    parse: parseBoolean,
    help: 'serve Prometheus metrics at /metrics, without credentials (false: 404)',
  }),
  defineOption('metrics-address', 'metricsAddress', {
    default: '',
    value: '<host:port>',
    parse: parseMetricsAddress,
    help: 'serve /metrics on this address instead of the main port (e.g. 0.0.0.0:9090)',
  }),
] as const);

/** Any option of the table, keeping the link between its `key` and what its `parse` returns. */
export type AnyConfigOption = (typeof configOptions)[number];

/** What the options set: every Config field, plus the YAML file the others may come from. */
export type OptionValues = { -readonly [O in AnyConfigOption as O['key']]: ReturnType<O['parse']> };
