/**
 * The command line of `charthouse user|token|repo`: a subcommand, its positionals and its own
 * flags; every other option is a server option (--storage, --config…) left for loadConfig, which
 * reports the unknown ones.
 */
import { ConfigError, configOptions } from '../config.js';

export type FlagKind = 'boolean' | 'value';

export interface ParsedArgs {
  subcommand: string | undefined;
  positionals: string[];
  flags: Map<string, string>;
  /** server options, for loadConfig */
  rest: string[];
}

const serverValueFlags = new Set(
  configOptions.filter((option) => !option.boolean).map((option) => option.flag),
);

export function parseArgs(args: readonly string[], own: Record<string, FlagKind>): ParsedArgs {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals === -1 ? undefined : equals);
    const kind = own[name];
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
  return { subcommand: positionals.shift(), positionals, flags, rest };
}

/**
 * Throws a usage error naming the first missing or extra positional; `optional` ones may be left
 * out from the end.
 */
export function checkPositionals(
  usage: string,
  positionals: readonly string[],
  required: readonly string[],
  optional: readonly string[] = [],
): void {
  if (positionals.length < required.length) {
    throw new ConfigError(`missing ${required[positionals.length]}: charthouse ${usage}`);
  }
  if (positionals.length > required.length + optional.length) {
    throw new ConfigError(
      `unexpected argument ${JSON.stringify(positionals[required.length + optional.length])}: charthouse ${usage}`,
    );
  }
}
