import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { compiledCli } from './compiled-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of this process without CHARTHOUSE_* variables, so that only flags configure. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CHARTHOUSE_')));
}

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** resolves with the exit code, or the signal that ended it */
  exited: Promise<number | NodeJS.Signals | null>;
}

/**
 * Runs `charthouse serve` as its own process on 127.0.0.1 and a free port, and resolves once it
 * has logged its "listening on http://…" line (JSON logs: the URL runs up to the next `"`). The
 * CLI is `src/` compiled once per test process (compiled-cli.ts), run by plain `node`.
 */
export async function spawnServer(
  storage: string,
  extraArgs: string[] = [],
  /** variables added to cleanEnv(), e.g. AWS_* credentials */
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const args = [await compiledCli(), 'serve', '--port', '0', '--host', '127.0.0.1', '--storage', storage];
  const child = spawn(process.execPath, [...args, ...extraArgs], {
    cwd: root,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line within 30 s:\n${output.join('')}`)),
      30_000,
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      output.push(line);
      const at = line.indexOf('listening on ');
      if (at < 0) return;
      const rest = line.slice(at + 'listening on '.length);
      clearTimeout(timer);
      resolve(rest.slice(0, rest.includes('"') ? rest.indexOf('"') : undefined));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before listening:\n${output.join('\n')}`));
    });
  });
  // Keep draining stdout so that the server never blocks on a full pipe.
  child.stdout?.resume();
  return { child, url, exited };
}

/** Runs `charthouse <args>` (compiled, as spawnServer) to completion, in a pipe. */
export async function runCharthouse(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = await compiledCli();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: cleanEnv(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
