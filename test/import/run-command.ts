import { ConfigError } from '../../src/config/config.js';
import { runExportCommand } from '../../src/export/export-command.js';
import { runImportCommand } from '../../src/import/import-command.js';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `charthouse import …` or `charthouse export …` in this process, with only `env` for the
 * environment: what cli.ts prints and exits with (a ConfigError is exit 2, as there).
 */
export async function runCommand(
  command: 'import' | 'export',
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  try {
    const run = command === 'import' ? runImportCommand : runExportCommand;
    return { code: await run(args, io), stdout, stderr };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { code: 2, stdout, stderr: `${stderr}charthouse: ${err.message}\n` };
  }
}

/** The JSON report of `import … --json`. */
export interface ReportShape {
  imported: Array<{ name?: string; version?: string; repository: string }>;
  skipped: Array<{ name?: string; version?: string }>;
  conflicting: Array<{ name?: string; version?: string; reason?: string }>;
  failed: Array<{ name?: string; version?: string; from: string; reason?: string }>;
  excluded: number;
}

export const readReport = (run: CommandRun) => JSON.parse(run.stdout) as ReportShape;

/** `name version` pairs, sorted: what a report's list or a store holds, comparable at a glance. */
export const pairs = (items: Array<{ name?: string; version?: string }>) =>
  items.map((item) => `${item.name} ${item.version}`).sort();
