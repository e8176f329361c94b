import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

test('docker-compose accepts docker-compose.yml', () => {
  const result = spawnSync('docker-compose', ['config', '-q'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  // A missing tool fails the test rather than skipping it: CI must validate the file.
  assert.ok(
    !result.error,
    `cannot run docker-compose (${result.error?.message}): .ci/run installs it (Debian package docker-compose)`,
  );
  assert.equal(result.status, 0, result.stderr);
});

interface ComposeFile {
  services?: Record<string, { volumes?: unknown[] }>;
  volumes?: Record<string, unknown>;
}

/** `name:/path[:mode]` or the long syntax, as [source, target]. */
function volumeMount(entry: unknown): [string, string] | undefined {
  if (typeof entry === 'string') {
    const [source = '', target = ''] = entry.split(':');
    return [source, target];
  }
  if (entry && typeof entry === 'object' && 'source' in entry && 'target' in entry) {
    return [String(entry.source), String(entry.target)];
  }
  return undefined;
}

test('the service keeps CHARTHOUSE_STORAGE of the Dockerfile on a named volume', () => {
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
  // The runtime stage is the last one: its ENV decides where the data goes.
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const storage = /CHARTHOUSE_STORAGE=(\S+)/.exec(runtime)?.[1];
  assert.ok(storage, 'the runtime stage of the Dockerfile sets CHARTHOUSE_STORAGE');
  assert.match(runtime, new RegExp(`^VOLUME \\[?"?${storage}"?\\]?$`, 'm'));

  const compose = yaml.load(
    readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8'),
  ) as ComposeFile;
  const service = compose.services?.charthouse;
  assert.ok(service, 'docker-compose.yml has the service charthouse');
  const mounts = (service.volumes ?? []).map(volumeMount);
  const mount = mounts.find((entry) => entry?.[1] === storage);
  assert.ok(mount, `the service mounts a volume on ${storage}`);
  assert.ok(mount[0] in (compose.volumes ?? {}), `${mount[0]} is a named volume declared under volumes:`);
  assert.equal(mount[0], 'charthouse-data');
});
