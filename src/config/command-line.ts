import { parseCommandLine } from './cli-args.js';
import { commandSpec } from './commands.js';
import { type Config, loadConfig } from './config.js';

export interface ReadCommand {
  /** the command's own flags, by name */
  flags: Map<string, string>;
  positionals: string[];
  /** the configuration its server options and the environment give */
  config: Config;
}

/**
 * One command line of `charthouse <name>`: its own flags (from the command table) and the server
 * options that command reads. Options are read first, so an unknown one (`--prot 1`) is named as
 * such rather than its value as an extra argument.
 */
export function readCommandLine(
  name: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
): ReadCommand {
  const spec = commandSpec(name);
  const { flags, positionals, rest } = parseCommandLine(args, spec.flags, {
    serverOptions: spec.serverOptions,
    command: spec.name,
  });
  return { flags, positionals, config: loadConfig(rest, env) };
}
