/**
 * `charthouse user|token|repo …`: managing users, tokens and repository permissions on the storage
 * directly, with the server running or not (SQLite's WAL and busy timeout let both write). Resolves
 * to the exit code: 0 done, 1 refused (the message says why); a command line it cannot use throws
 * ConfigError (exit 2).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createAccounts } from '../auth/accounts.js';
import { parseCommandLine } from '../config/cli-args.js';
import { adminServerOptions } from '../config/commands.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { isRegistryError } from '../errors.js';
import { createLifecycle } from '../lifecycle/lifecycle.js';
import { openStores, usesLocalDatabase } from '../store/open-stores.js';
import { createKeyrings } from '../trust/keyrings.js';
import { checkPositionals } from './args.js';
import type { AdminIo, Subcommand } from './context.js';
import { adminGroups } from './groups.js';
import { PasswordCancelled } from './password-input.js';

export async function runAdminCommand(group: string, args: readonly string[], io: AdminIo): Promise<number> {
  const subcommands = adminGroups[group] ?? {};
  const allFlags = Object.assign({}, ...Object.values(subcommands).map((sub) => sub.flags ?? {}));
  const {
    positionals: [subcommand, ...positionals],
    flags,
    rest,
  } = parseCommandLine(args, allFlags, { serverOptions: adminServerOptions, command: group });
  const names = Object.keys(subcommands);
  const command: Subcommand | undefined = subcommand === undefined ? undefined : subcommands[subcommand];
  if (!command) {
    const what =
      subcommand === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(subcommand)}`;
    throw new ConfigError(`${what} for "charthouse ${group}" (expected ${names.join(', ')})`);
  }
  for (const flag of flags.keys()) {
    if (!command.flags?.[flag])
      throw new ConfigError(`--${flag} is not an option of: charthouse ${command.usage}`);
  }
  // Options first: an unknown one (`--prot 1`) is named as such, not its value as an extra argument.
  const config = loadConfig(rest, io.env);
  checkPositionals(command.usage, positionals, command.required ?? [], command.optional ?? []);
  if (!command.writes && usesLocalDatabase(config) && !existsSync(join(config.storage, 'charthouse.db'))) {
    io.stderr.write(`charthouse: no Charthouse store in ${config.storage}: charthouse.db is missing\n`);
    return 1;
  }
  const stores = await openStores(config);
  try {
    const accounts = createAccounts({ store: stores.auth, anonymousRead: config.anonymousRead });
    const keyrings = createKeyrings({ trust: stores.trust });
    const lifecycle = createLifecycle(stores);
    await command.run({ accounts, keyrings, lifecycle, io, positionals, flags, storage: config.storage });
    return 0;
  } catch (err) {
    if (!isRegistryError(err) && !(err instanceof PasswordCancelled)) throw err;
    io.stderr.write(`charthouse: ${err.message}\n`);
    return 1;
  } finally {
    await stores.close();
  }
}
