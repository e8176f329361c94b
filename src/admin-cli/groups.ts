/**
 * The account commands (`user`, `token`, `repo`, `key`) and their subcommands: the one table both
 * runAdminCommand and `--help` (config/help.ts) read. It imports no store, so help stays light.
 */
import type { CommandGroup } from './context.js';
import { keyCommands, policyCommands } from './key-commands.js';
import { repoCommands } from './repo-commands.js';
import { repoSettingsCommands } from './repo-settings-commands.js';
import { tokenCommands } from './token-commands.js';
import { userCommands } from './user-commands.js';

export const adminGroups: Record<string, CommandGroup> = {
  user: userCommands,
  token: tokenCommands,
  repo: { ...repoCommands, ...policyCommands, ...repoSettingsCommands },
  key: keyCommands,
};
