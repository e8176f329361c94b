import type { Accounts } from '../auth/accounts.js';
import type { CommandFlags } from '../config/cli-args.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import type { Keyrings } from '../trust/keyrings.js';
import type { PasswordInput } from './password-input.js';

export interface AdminIo extends PasswordInput {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
}

export interface CommandContext {
  accounts: Accounts;
  /** keyrings and signature policies */
  keyrings: Keyrings;
  /** retention, immutability and Artifact Hub metadata of repositories */
  lifecycle: Lifecycle;
  io: AdminIo;
  positionals: string[];
  flags: Map<string, string>;
  /** the storage directory, for confirmations */
  storage: string;
}

/** One subcommand such as `user add`: its command line, and what it does with an open store. */
export interface Subcommand {
  /** after `charthouse `, e.g. `user add NAME [--admin] [--password-stdin]` */
  usage: string;
  required?: readonly string[];
  optional?: readonly string[];
  flags?: CommandFlags;
  /** false for commands that only read: they refuse a storage without a database instead of creating one */
  writes: boolean;
  run(context: CommandContext): Promise<void>;
}

export type CommandGroup = Record<string, Subcommand>;

/** Prints a list as JSON with --json, else as the text the command formats. */
export function printList(context: CommandContext, records: unknown, text: () => string): void {
  context.io.stdout.write(context.flags.has('json') ? `${JSON.stringify(records, null, 2)}\n` : text());
}
