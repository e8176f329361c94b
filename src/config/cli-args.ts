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
import { ConfigError, configOptions } from './config.js';

export type FlagKind = 'boolean' | 'value';

export interface CommandLine {
  positionals: string[];
  /** the command's own flags given; a boolean one maps to 'true' */
  flags: Map<string, string>;
  /** server options, for loadConfig */
  rest: string[];
}

const serverValueFlags = new Set(
  configOptions.filter((option) => !option.boolean).map((option) => option.flag),
);

const isOption = (arg: string) => arg.startsWith('-') && arg !== '-';

export function parseCommandLine(args: readonly string[], own: Record<string, FlagKind>): CommandLine {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!isOption(arg)) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const kind = arg.startsWith('--') ? own[name] : undefined;
    const next = args[i + 1];
    if (kind === undefined) {
      rest.push(arg);
      // A server option's value goes with it, so that it is not taken for a positional.
      if (equals === -1 && serverValueFlags.has(name) && next !== undefined && !next.startsWith('--')) {
        rest.push(next);
        i++;
      }
    } else if (kind === 'boolean') {
      if (equals !== -1) throw new ConfigError(`--${name} takes no value`);
      flags.set(name, 'true');
    } else if (equals !== -1) {
      flags.set(name, arg.slice(equals + 1));
    } else {
      if (next === undefined || next.startsWith('--')) throw new ConfigError(`missing value for --${name}`);
      flags.set(name, next);
      i++;
    }
  }
  return { positionals, flags, rest };
}
