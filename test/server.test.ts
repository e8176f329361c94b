import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { makeChart } from './support/make-chart.js';

const root = new URL('..', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<number | null>;
}

/** Runs `charthouse serve` as its own process and waits for the line that says where it listens. */
async function serve(storage: string, extraEnv: Record<string, string> = {}): Promise<Started> {
  const lines: string[] = [];
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'serve', '--port', '0', '--host', '127.0.0.1'],
    {
      cwd: root,
      env: { ...process.env, CHARTHOUSE_STORAGE: storage, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => lines.push(`stderr: ${chunk.toString()}`));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line; output:\n${lines.join('\n')}`)),
      30_000,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      const match = /listening on (http:\/\/[^\s"]+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) =>
      reject(new Error(`exited with ${code} before listening:\n${lines.join('\n')}`)),
    );
  });
  return { child, url, lines, exited };
}

test('serve logs one line with its URL, and SIGTERM lets an in-flight upload finish before exiting 0', async (t) => {
  const storage = await mkdtemp(join(tmpdir(), 'charthouse-serve-'));
  t.after(() => rm(storage, { recursive: true, force: true }));
  const server = await serve(storage);
  t.after(() => server.child.kill('SIGKILL'));
  assert.equal(server.lines.filter((l) => l.includes('listening on')).length, 1);
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const chart = await makeChart({ name: 'inflight', version: '1.0.0' });
  // Send the headers and half the body, signal the server, then finish the body.
  const body = new TransformStream<Uint8Array, Uint8Array>();
  const writer = body.writable.getWriter();
  const upload = fetch(`${server.url}/api/charts`, {
    method: 'POST',
    body: body.readable,
    headers: { 'content-type': 'application/octet-stream' },
    duplex: 'half',
  } as RequestInit);
  await writer.write(chart.subarray(0, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await writer.write(chart.subarray(100));
  await writer.close();
  const response = await upload;
  assert.equal(response.status, 201);
  assert.equal(await server.exited, 0, server.lines.join('\n'));
  assert.ok(
    server.lines.some((l) => l.includes('shutting down')),
    server.lines.join('\n'),
  );

  const again = await serve(storage);
  t.after(() => again.child.kill('SIGKILL'));
  const index = await fetch(`${again.url}/index.yaml`);
  assert.match(await index.text(), /inflight/);
  again.child.kill('SIGTERM');
  assert.equal(await again.exited, 0);
  assert.deepEqual((await readdir(join(storage, 'blobs', 'tmp'))).length, 0);
});
