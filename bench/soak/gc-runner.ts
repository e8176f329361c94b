import { spawn } from 'node:child_process';
import { ROOT } from '../server-process.js';

/** One `charthouse gc` run beside the live server. */
export interface GcRun {
  /** seconds since the soak started */
  at: number;
  seconds: number;
  exitCode: number | null;
  scanned?: number;
  removed?: number;
  bytesFreed?: number;
  /** the end of stderr, when it failed */
  failure?: string;
}

/**
 * Runs `charthouse gc --json --grace <grace>` (the same bundle as the server, on the same stores)
 * and reads its report. A gc that exits non-zero is an error of the soak.
 */
export function runGc(options: {
  cli: string;
  storeArgs: string[];
  env: Record<string, string>;
  grace: string;
  startedAt: number;
}): Promise<GcRun> {
  const at = Math.round((performance.now() - options.startedAt) / 1000);
  const started = performance.now();
  const args = [options.cli, 'gc', '--json', '--grace', options.grace, ...options.storeArgs];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...options.env } });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  return new Promise((resolve) => {
    child.on('close', (exitCode) => {
      const seconds = Math.round((performance.now() - started) / 10) / 100;
      const run: GcRun = { at, seconds, exitCode };
      try {
        const report = JSON.parse(Buffer.concat(out).toString('utf8')) as {
          scanned: number;
          removed: unknown[];
          bytesFreed: number;
        };
        Object.assign(run, {
          scanned: report.scanned,
          removed: report.removed.length,
          bytesFreed: report.bytesFreed,
        });
      } catch {
        // no report: the failure below says why
      }
      if (exitCode !== 0 || run.scanned === undefined)
        run.failure = Buffer.concat([...err, ...out])
          .toString('utf8')
          .slice(-500);
      resolve(run);
    });
  });
}
