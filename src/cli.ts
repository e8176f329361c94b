/**
 * The `charthouse` command: `serve` (the default), `migrate`, `help`, `--version`, and the
 * maintenance commands `check`, `gc`, `backup`, `restore` (src/maintenance/commands.ts) and
 * `migrate-store` (src/maintenance/migrate-command.ts), and the account commands `user`, `token`
 * and `repo` (src/admin-cli/commands.ts), `retention` (src/lifecycle/retention-command.ts), and
 * `import` and `export` (src/import/, src/export/).
 *
 * This module is the entry point (`node dist/cli.js`, or bin/charthouse.js, which imports it), so
 * importing it runs the command; it exports nothing. With server.ts, it is the only module that
 * reads process.argv and process.env or sets the exit code: everything else takes a Config.
 */
import { ConfigError, loadConfig } from './config/config.js';
import { commandNames, renderCommandHelp, renderHelp } from './config/help.js';
import { packageVersion } from './version.js';

/** Exit code 2, as for a usage error: the command line or the configuration is wrong. */
class UsageError extends Error {}

async function runCommand(args: readonly string[]): Promise<void> {
  const first = args[0];
  const command = first === undefined || first.startsWith('-') ? 'serve' : first;
  const options = command === first ? args.slice(1) : args;
  if (command === 'help' || options.includes('--help') || options.includes('-h')) {
    // `charthouse help gc` and `charthouse gc --help` alike; the subcommand is the first positional
    const [name, sub] =
      command === 'help'
        ? options
        : [command === first ? command : undefined, options.find((arg) => !arg.startsWith('-'))];
    process.stdout.write((name && renderCommandHelp(name, sub)) || renderHelp());
    return;
  }
  if (options.includes('--version')) {
    process.stdout.write(`${packageVersion}\n`);
    return;
  }
  if (!commandNames.includes(command)) {
    const expected = `${commandNames.slice(0, -1).join(', ')} or ${commandNames.at(-1)}`;
    throw new UsageError(`unknown command ${JSON.stringify(command)} (expected ${expected})`);
  }
  if (command === 'check' || command === 'gc' || command === 'backup' || command === 'restore') {
    const { runMaintenanceCommand } = await import('./maintenance/commands.js');
    const io = { env: process.env, stdout: process.stdout, stderr: process.stderr };
    process.exitCode = await runMaintenanceCommand(command, options, io);
    return;
  }
  if (command === 'retention') {
    const { runRetentionCommand } = await import('./lifecycle/retention-command.js');
    const io = { env: process.env, stdout: process.stdout, stderr: process.stderr };
    process.exitCode = await runRetentionCommand(options, io);
    return;
  }
  if (command === 'import' || command === 'export') {
    const io = { env: process.env, stdout: process.stdout, stderr: process.stderr };
    const { runImportCommand } = await import('./import/import-command.js');
    const { runExportCommand } = await import('./export/export-command.js');
    process.exitCode = await (command === 'import' ? runImportCommand : runExportCommand)(options, io);
    return;
  }
  if (command === 'migrate-store') {
    const { runMigrateStoreCommand } = await import('./maintenance/migrate-command.js');
    const io = { env: process.env, stdout: process.stdout, stderr: process.stderr };
    process.exitCode = await runMigrateStoreCommand(options, io);
    return;
  }
  if (command === 'user' || command === 'token' || command === 'repo' || command === 'key') {
    const { runAdminCommand } = await import('./admin-cli/commands.js');
    const io = { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
    process.exitCode = await runAdminCommand(command, options, io);
    return;
  }
  const config = loadConfig(options, process.env);
  // Imported only now, so that --help and configuration errors never load the database driver.
  if (command === 'migrate') {
    const { migrateStorage } = await import('./server.js');
    await migrateStorage(config);
    return;
  }
  const { startServer } = await import('./server.js');
  // The server keeps the process alive and handles SIGTERM/SIGINT itself.
  await startServer(config);
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // System errors (EADDRINUSE, EACCES…) explain themselves; anything else is a bug worth a stack.
  if (err instanceof ConfigError || err instanceof UsageError || 'code' in err) return err.message;
  return err.stack ?? err.message;
}

runCommand(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`charthouse: ${describeError(err)}\n`);
  process.exit(err instanceof ConfigError || err instanceof UsageError ? 2 : 1);
});
