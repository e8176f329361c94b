/**
 * The catalogue of `charthouse` commands: each one's arguments, summary, own flags and the server
 * options it reads. The commands parse their command lines with these flags and lists
 * (cli-args.ts), and `--help` is rendered from them (help.ts), so the two cannot drift apart.
 */
import type { CommandFlags } from './cli-args.js';

export interface CommandSpec {
  name: string;
  /** the positionals, as written after the name in the usage line */
  args: string;
  summary: string;
  flags: CommandFlags;
  /** the server options (flags of the option table) the command reads; any other is refused */
  serverOptions: 'all' | readonly string[];
}

/** What every command that opens the store reads: where the store is. */
export const storeOptions = [
  'config',
  'storage',
  'database',
  'blob-store',
  's3-endpoint',
  's3-region',
  's3-force-path-style',
] as const;

const json = { kind: 'boolean', help: 'print the report as JSON' } as const;
const grace = {
  kind: 'value',
  value: '<duration>',
  help: 'leave alone what is younger than this, as an upload in progress may be (default 1h)',
} as const;
const force = { kind: 'boolean', help: 'write into a directory that is not empty' } as const;

export const commandSpecs: readonly CommandSpec[] = [
  {
    name: 'serve',
    args: '',
    summary: 'start the server (the default command)',
    flags: {},
    serverOptions: 'all',
  },
  {
    name: 'migrate',
    args: '',
    summary: 'create or upgrade the database (--database, or SQLite under --storage), then exit',
    flags: {},
    serverOptions: storeOptions,
  },
  {
    name: 'check',
    args: '',
    summary: 'verify the store: rows, blobs, digests, packages, stale uploads',
    flags: {
      json,
      repair: { kind: 'boolean', help: 'remove what is broken: rows without blobs, stale uploads' },
      grace,
      signatures: { kind: 'boolean', help: 'verify every stored .prov again against the keys trusted now' },
    },
    serverOptions: [...storeOptions, 'max-decompressed-size', 'max-file-size', 'upload-session-ttl'],
  },
  {
    name: 'gc',
    args: '',
    summary: 'remove blobs no row refers to, older than --grace',
    flags: { json, 'dry-run': { kind: 'boolean', help: 'list what would go, remove nothing' }, grace },
    serverOptions: storeOptions,
  },
  {
    name: 'backup',
    args: 'DIR',
    summary: 'copy the store to DIR while the server runs (a storage directory: SQLite and disk)',
    flags: { json, force },
    serverOptions: storeOptions,
  },
  {
    name: 'restore',
    args: 'DIR',
    summary: 'copy a backup from DIR into --storage (refuses a non-empty one without --force)',
    flags: { json, force },
    serverOptions: storeOptions,
  },
  {
    name: 'migrate-store',
    args: '',
    summary:
      'copy a whole store between backends, digests verified; a re-run copies only what is missing. ' +
      'A side is a storage directory (SQLite + disk), or postgres://… with its blob store',
    flags: {
      from: {
        kind: 'value',
        value: '<dir|url>',
        help: 'the store to copy: a storage directory or postgres://…',
      },
      'from-blob-store': {
        kind: 'value',
        value: '<url>',
        help: 'the source blobs on S3: s3://bucket/prefix',
      },
      'from-storage': {
        kind: 'value',
        value: '<dir>',
        help: 'the source blobs on disk, under this directory',
      },
      to: {
        kind: 'value',
        value: '<dir|url>',
        help: 'the store to fill: a storage directory or postgres://…',
      },
      'to-blob-store': { kind: 'value', value: '<url>', help: 'the target blobs on S3: s3://bucket/prefix' },
      'to-storage': { kind: 'value', value: '<dir>', help: 'the target blobs on disk, under this directory' },
      json,
    },
    serverOptions: ['config', 's3-endpoint', 's3-region', 's3-force-path-style'],
  },
  {
    name: 'retention',
    args: '',
    summary: "apply every repository's retention rule now (lists what goes)",
    flags: { 'dry-run': { kind: 'boolean', help: 'list what would go, remove nothing' }, json },
    serverOptions: storeOptions,
  },
  {
    name: 'import',
    args: 'SOURCE',
    summary:
      'import every chart version from a Helm repository URL, an oci://host/path or a directory ' +
      '(ChartMuseum storage); into --storage, or a running --server; a re-run skips what is stored',
    flags: {
      into: {
        kind: 'value',
        value: '<repo>',
        help: 'the repository to import into (required; / is the root one)',
      },
      server: { kind: 'value', value: '<url>', help: 'push to this running Charthouse instead of --storage' },
      'server-username': { kind: 'value', value: '<name>', help: 'user for --server' },
      'server-password': { kind: 'value', value: '<password>', help: 'password for --server' },
      'server-token': { kind: 'value', value: '<token>', help: 'token for --server' },
      username: { kind: 'value', value: '<name>', help: 'user for the source' },
      password: { kind: 'value', value: '<password>', help: 'password for the source' },
      token: { kind: 'value', value: '<token>', help: 'bearer token for the source' },
      'ca-file': { kind: 'value', value: '<file>', help: "PEM certificates to trust for the source's TLS" },
      'pass-credentials': {
        kind: 'boolean',
        help: 'send the source credentials to package URLs on other hosts',
      },
      'plain-http': { kind: 'boolean', help: 'reach an oci:// source over http' },
      'registry-config': {
        kind: 'value',
        value: '<file>',
        help: "credentials from Helm's registry config.json",
      },
      depth: {
        kind: 'value',
        value: '<n>',
        help: 'directory levels of ChartMuseum storage to read as repositories',
      },
      'dry-run': { kind: 'boolean', help: 'list what would be imported, import nothing' },
      concurrency: { kind: 'value', value: '<n>', help: 'versions fetched at once (default 8)' },
      include: {
        kind: 'value',
        value: '<globs>',
        help: 'only chart names matching these comma-separated globs',
      },
      exclude: {
        kind: 'value',
        value: '<globs>',
        help: 'skip chart names matching these comma-separated globs',
      },
      overwrite: { kind: 'boolean', help: 'replace versions already stored' },
      json,
    },
    serverOptions: 'all',
  },
  {
    name: 'export',
    args: 'REPO DIR',
    summary: 'write REPO as a static Helm repository (index.yaml, charts/) into DIR',
    flags: {
      'base-url': {
        kind: 'value',
        value: '<url>',
        help: 'absolute URL the index.yaml package URLs start with',
      },
      force,
      json,
    },
    serverOptions: storeOptions,
  },
];

/** The server options the account commands (`user`, `token`, `repo`, `key`) read. */
export const adminServerOptions = [...storeOptions, 'anonymous-read'] as const;

export function commandSpec(name: string): CommandSpec {
  const spec = commandSpecs.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`no command spec named ${name}`);
  return spec;
}
