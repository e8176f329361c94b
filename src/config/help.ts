/**
 * `--help`, rendered from the tables the command lines are parsed with: the option table
 * (config-options.ts), the command catalogue (commands.ts) and the account subcommands
 * (admin-cli/groups.ts). Nothing here is written twice, so help cannot drift from what is accepted.
 */
import { adminGroups } from '../admin-cli/groups.js';
import { type CommandFlags, flagKind } from './cli-args.js';
import { adminServerOptions, type CommandSpec, commandSpecs } from './commands.js';
import { configOptions } from './config-options.js';

interface Row {
  usage: string;
  lines: string[];
}

function table(rows: readonly Row[]): string[] {
  const width = Math.max(0, ...rows.map((row) => row.usage.length)) + 4;
  return rows.flatMap((row) =>
    row.lines.map((line, i) => `  ${(i === 0 ? row.usage : '').padEnd(width)}${line}`),
  );
}

function flagRows(flags: CommandFlags): Row[] {
  return Object.entries(flags).map(([name, flag]) => {
    const spec = typeof flag === 'string' ? { kind: flag } : flag;
    const value = flagKind(flag) === 'value' ? ` ${('value' in spec && spec.value) || '<value>'}` : '';
    return { usage: `--${name}${value}`, lines: [('help' in spec && spec.help) || ''] };
  });
}

function serverOptionRows(accepted: 'all' | readonly string[]): Row[] {
  return configOptions
    .filter((option) => accepted === 'all' || accepted.includes(option.flag))
    .map((option) => ({
      usage: `--${option.flag}${option.value ? ` ${option.value}` : ''}`,
      lines: [option.help, `env ${option.env}, default: ${option.default === '' ? 'none' : option.default}`],
    }));
}

const footer = [
  '',
  'Flags beat environment variables, which beat the --config file.',
  'Sizes are a byte count or a number with KiB, MiB, GiB (also k, m, g) or KB, MB, GB: 512k, 20MiB, 1GB.',
  'Durations are a number with ms, s, m, h or d: 30s, 5m, 1h (a bare number is seconds).',
  'Booleans: --allow-overwrite alone means true; values true, false, 1, 0, yes or no.',
];

/** The names `charthouse` takes as its first argument. */
export const commandNames = [...commandSpecs.map((spec) => spec.name), ...Object.keys(adminGroups), 'help'];

/** `charthouse --help`: the commands with their usages, then every option of the table. */
export function renderHelp(): string {
  const commands = commandSpecs.map((spec) => ({
    usage: `${spec.name}${spec.args ? ` ${spec.args}` : ''}`,
    lines: [spec.summary + flagSummary(spec.flags)],
  }));
  const subcommands = Object.values(adminGroups).flatMap((group) =>
    Object.values(group).map((sub) => ({ usage: sub.usage, lines: [''] })),
  );
  const lines = [
    `Usage: charthouse [${commandNames.join('|')}] [options]`,
    '       charthouse COMMAND --help   the options of one command (also: charthouse token create --help)',
    '',
    'Commands:',
    ...table([
      ...commands,
      { usage: 'help', lines: ['print this help (also --help, -h); --version prints the version'] },
    ]),
    '',
    'Users, tokens, repository permissions and trusted keys (in the store --storage or --database names; the server may be running):',
    ...subcommands.map((row) => `  ${row.usage}`),
    'Without --password-stdin, a password is asked twice on the terminal, without echo.',
    '',
    'Options of serve:',
    ...table(serverOptionRows('all')),
    ...footer,
  ];
  return `${lines.join('\n')}\n`;
}

function flagSummary(flags: CommandFlags): string {
  const names = Object.keys(flags);
  return names.length === 0 ? '' : ` [${names.map((name) => `--${name}`).join('] [')}]`;
}

function renderSpec(
  usage: string,
  summary: string,
  flags: CommandFlags,
  accepted: 'all' | readonly string[],
): string {
  const own = flagRows(flags);
  const lines = [`Usage: charthouse ${usage}`, ...(summary ? ['', summary] : [])];
  if (own.length > 0) lines.push('', 'Options:', ...table(own));
  lines.push(
    '',
    accepted === 'all' ? 'Server options:' : 'Store options:',
    ...table(serverOptionRows(accepted)),
  );
  return `${[...lines, ...footer].join('\n')}\n`;
}

/**
 * `charthouse COMMAND [SUBCOMMAND] --help`: the command's usage, its own flags and the server
 * options it reads; for an account group without a subcommand, its subcommands. Undefined for a
 * name that is no command (the caller reports it).
 */
export function renderCommandHelp(command: string, subcommand?: string): string | undefined {
  const spec: CommandSpec | undefined = commandSpecs.find((candidate) => candidate.name === command);
  if (spec) {
    const usage = `${spec.name}${spec.args ? ` ${spec.args}` : ''}${Object.keys(spec.flags).length ? ' [options]' : ''}`;
    return renderSpec(usage, spec.summary, spec.flags, spec.serverOptions);
  }
  const group = adminGroups[command];
  if (!group) return undefined;
  const sub = subcommand === undefined ? undefined : group[subcommand];
  if (sub) return renderSpec(sub.usage, '', sub.flags ?? {}, adminServerOptions);
  const lines = [`Usage: charthouse ${command} SUBCOMMAND …`, '', 'Subcommands:'];
  for (const candidate of Object.values(group)) lines.push(`  ${candidate.usage}`);
  lines.push('', `charthouse ${command} SUBCOMMAND --help lists the options of one.`);
  return `${lines.join('\n')}\n`;
}
