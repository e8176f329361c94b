/**
 * The command line of a CLI command other than `serve` (`charthouse user …`, `charthouse gc …`):
 * its positionals, its own flags, and every other option, which is a server option (--storage,
 * --config…) left for loadConfig, which reports the unknown ones.
 *
 * An argument that starts with `-` is an option, as in POSIX tools: no user name, repository,
 * token id or directory the commands take starts with one, and a mistyped `-storage` must be
 * reported, not taken for a name. A boolean flag takes no value (`--json=false` is refused rather
 * than read as `--json`).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { configOptions } from './config-options.js';
import { ConfigError } from './config-values.js';

export type FlagKind = 'boolean' | 'value';

/** A command's own flag: its kind, and for --help a placeholder for its value and what it does. */
export interface FlagSpec {
  kind: FlagKind;
  /** `<duration>`, `DIR`…: shown after a value flag in --help */
  value?: string;
  help?: string;
}

export type CommandFlags = Record<string, FlagKind | FlagSpec>;

export interface CommandLine {
  positionals: string[];
  /** the command's own flags given; a boolean one maps to 'true' */
  flags: Map<string, string>;
  /** server options, for loadConfig */
  rest: string[];
}

const serverFlags = new Set(configOptions.map((option) => option.flag));

export const flagKind = (flag: FlagKind | FlagSpec): FlagKind =>
  typeof flag === 'string' ? flag : flag.kind;

/** Which server options a command reads (the others are refused), and its name for the message. */
export interface ServerOptionsAccepted {
  serverOptions: 'all' | readonly string[];
  command: string;
}

export function parseCommandLine(
  args: readonly string[],
  own: CommandFlags,
  accepted: ServerOptionsAccepted = { serverOptions: 'all', command: '' },
): CommandLine {
  const options: ParseArgsConfig['options'] = {};
  for (const option of configOptions) options[option.flag] = { type: option.boolean ? 'boolean' : 'string' };
  for (const [name, flag] of Object.entries(own)) {
    options[name] = { type: flagKind(flag) === 'boolean' ? 'boolean' : 'string' };
  }
  const { tokens } = parseArgs({
    args: [...args],
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  const rest: string[] = [];
  const shortGroups = new Set<number>();
  for (const token of tokens) {
    const arg = args[token.index] ?? '';
    if (token.kind === 'positional') {
      positionals.push(arg);
    } else if (token.kind === 'option-terminator') {
      rest.push(arg); // `--` is no option of ours: loadConfig names it
    } else if (!token.rawName.startsWith('--')) {
      // a one-dash group (`-port`) is one unknown option for loadConfig to name, not four
      if (!shortGroups.has(token.index)) rest.push(arg);
      shortGroups.add(token.index);
    } else {
      const spec = own[token.name];
      const kind = spec === undefined ? undefined : flagKind(spec);
      const given = token.inlineValue ? token.value : undefined;
      const next = token.inlineValue ? undefined : token.value;
      // A flag right after a flag that needs a value is a forgotten value, not the value.
      if (next?.startsWith('--')) throw new ConfigError(`missing value for --${token.name}`);
      if (kind === undefined) {
        const { serverOptions, command } = accepted;
        if (serverOptions !== 'all' && serverFlags.has(token.name) && !serverOptions.includes(token.name)) {
          throw new ConfigError(
            `--${token.name} is not an option of charthouse ${command} (see: charthouse ${command} --help)`,
          );
        }
        // A server option keeps its value with it, so that it is not taken for a positional.
        rest.push(arg, ...(next === undefined ? [] : [next]));
      } else if (kind === 'boolean') {
        if (given !== undefined) throw new ConfigError(`--${token.name} takes no value`);
        flags.set(token.name, 'true');
      } else {
        const value = given ?? next;
        if (value === undefined) throw new ConfigError(`missing value for --${token.name}`);
        flags.set(token.name, value);
      }
    }
  }
  return { positionals, flags, rest };
}
