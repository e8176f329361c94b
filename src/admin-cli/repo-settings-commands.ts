/**
 * `charthouse repo settings|set-retention|set-immutable|set-artifacthub`: a repository's lifecycle
 * (src/lifecycle/). Repository paths: `team/apps`, `/` for the root.
 */
import { readFile } from 'node:fs/promises';
import { normaliseRepositoryPath } from '../auth/account-rules.js';
import { ConfigError } from '../config/config.js';
import { RegistryError } from '../errors.js';
import { MAX_ARTIFACTHUB_FILE, parseArtifactHubFile } from '../lifecycle/artifacthub-metadata.js';
import type { ProxyView, RepositorySettings } from '../lifecycle/repository-settings.js';
import { describeRetention, formatAge, readRetentionRule } from '../lifecycle/retention-rule.js';
import { showSettings } from '../lifecycle/show-settings.js';
import type { CommandContext, CommandGroup } from './context.js';
import { showRepository } from './table.js';

function describeSettings(settings: RepositorySettings): string {
  const lines = [
    `repository:   ${showRepository(settings.path)}`,
    `immutable:    ${settings.immutable ? 'yes' : 'no'}`,
    `retention:    ${settings.retention ? describeRetention(settings.retention) : 'none'}`,
    `artifact hub: ${settings.artifactHub ? JSON.stringify(settings.artifactHub) : 'none'}`,
    `proxy of:     ${settings.proxy ? describeProxy(settings.proxy) : 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The upstream and how it is read; credentials are never part of a ProxyView. */
function describeProxy(proxy: ProxyView): string {
  const ca = proxy.customCa ? ', custom CA' : '';
  const auth = proxy.authentication === 'none' ? '' : `, ${proxy.authentication} credentials`;
  return `${proxy.url} (index fetched at most every ${formatAge(proxy.ttlMs)}${auth}${ca})`;
}

const pathOf = (context: CommandContext) => normaliseRepositoryPath(context.positionals[0] ?? '');

/** `--clear` alone, or the options that set something: never both, never neither. */
function clearing(context: CommandContext, setters: string[], usage: string): boolean {
  const given = setters.filter((flag) => context.flags.has(flag));
  const clear = context.flags.has('clear');
  if (clear && given.length > 0)
    throw new ConfigError(`--clear cannot go with --${given[0]}: charthouse ${usage}`);
  if (!clear && given.length === 0)
    throw new ConfigError(`missing --${setters[0]} or --clear: charthouse ${usage}`);
  return clear;
}

async function readMetadataFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new RegistryError(
      'SETTING_INVALID',
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  if (bytes.length > MAX_ARTIFACTHUB_FILE) {
    throw new RegistryError('SETTING_INVALID', `${file} is larger than ${MAX_ARTIFACTHUB_FILE} bytes`);
  }
  return bytes.toString('utf8');
}

const retentionUsage =
  'repo set-retention PATH --keep-last N [--keep-prereleases M] [--max-age 90d] | --clear';
const artifactHubUsage = 'repo set-artifacthub PATH --file artifacthub-repo.yml | --clear';

export const repoSettingsCommands: CommandGroup = {
  settings: {
    usage: 'repo settings PATH [--json]',
    required: ['PATH'],
    flags: { json: 'boolean' },
    writes: false,
    async run(context) {
      const settings = await context.lifecycle.settingsOf(pathOf(context));
      context.io.stdout.write(
        context.flags.has('json')
          ? `${JSON.stringify(showSettings(settings), null, 2)}\n`
          : describeSettings(settings),
      );
    },
  },
  'set-retention': {
    usage: retentionUsage,
    required: ['PATH'],
    flags: { 'keep-last': 'value', 'keep-prereleases': 'value', 'max-age': 'value', clear: 'boolean' },
    writes: true,
    async run(context) {
      const path = pathOf(context);
      const where = `repository "${showRepository(path)}"`;
      if (clearing(context, ['keep-last', 'keep-prereleases', 'max-age'], retentionUsage)) {
        await context.lifecycle.clearRetention(path);
        context.io.stdout.write(`${where} has no retention rule any more\n`);
        return;
      }
      const rule = readRetentionRule({
        keepLast: context.flags.get('keep-last'),
        keepPrereleases: context.flags.get('keep-prereleases'),
        maxAge: context.flags.get('max-age'),
      });
      await context.lifecycle.setRetention(path, rule);
      context.io.stdout.write(
        `${where}: ${describeRetention(rule)}\n` +
          'applied after each push of a chart; nothing was removed now (charthouse retention --dry-run shows what would go)\n',
      );
    },
  },
  'set-immutable': {
    usage: 'repo set-immutable PATH',
    required: ['PATH'],
    writes: true,
    async run(context) {
      const path = pathOf(context);
      await context.lifecycle.setImmutable(path);
      context.io.stdout.write(
        `repository "${showRepository(path)}" is immutable: no overwrite, tags never move, only server admins delete (this cannot be undone)\n`,
      );
    },
  },
  'set-artifacthub': {
    usage: artifactHubUsage,
    required: ['PATH'],
    flags: { file: 'value', clear: 'boolean' },
    writes: true,
    async run(context) {
      const path = pathOf(context);
      const where = `repository "${showRepository(path)}"`;
      if (clearing(context, ['file'], artifactHubUsage)) {
        await context.lifecycle.clearArtifactHub(path);
        context.io.stdout.write(`${where} has no Artifact Hub metadata any more\n`);
        return;
      }
      const file = context.flags.get('file') ?? '';
      await context.lifecycle.setArtifactHub(path, parseArtifactHubFile(await readMetadataFile(file)));
      context.io.stdout.write(`${where} serves ${file} as artifacthub-repo.yml and the artifacthub.io tag\n`);
    },
  },
};
