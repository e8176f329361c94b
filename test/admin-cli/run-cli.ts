import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  stderrLines: string[];
}

/** Runs `charthouse ARGS --storage STORAGE` from the sources, with `input` on its standard input. */
export function runCli(storage: string, args: string[], input = ''): CliRun {
  // Without CHARTHOUSE_* variables of this process, so that only the arguments configure.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CHARTHOUSE_')),
  );
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', ...args, '--storage', storage],
    {
      cwd: root,
      env,
      input,
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  const stderrLines = result.stderr.split('\n').filter((line) => line !== '');
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, stderrLines };
}

/**
 * The same command in this process (no start-up cost): what cli.ts would print and exit with,
 * for the many refusal cases. A usage error (ConfigError) is exit 2, as cli.ts makes it.
 */
export async function runInProcess(storage: string, args: string[], input = ''): Promise<CliRun> {
  const { runAdminCommand } = await import('../../src/admin-cli/commands.js');
  const { ConfigError } = await import('../../src/config/config.js');
  let stdout = '';
  let stderr = '';
  const io = {
    env: {},
    stdin: Readable.from([input]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  };
  let code: number;
  try {
    code = await runAdminCommand(args[0] ?? '', [...args.slice(1), '--storage', storage], io);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    stderr += `charthouse: ${err.message}\n`;
    code = 2;
  }
  return { code, stdout, stderr, stderrLines: stderr.split('\n').filter((line) => line !== '') };
}
