import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, runInProcess } from './run-cli.js';

async function storage(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'charthouse-settings-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal((await runInProcess(dir, ['repo', 'create', 'team'])).code, 0);
  return dir;
}

test('repo set-retention sets, shows and clears a rule, and says nothing was removed', async (t) => {
  const dir = await storage(t);
  const set = await runInProcess(dir, [
    'repo',
    'set-retention',
    'team',
    '--keep-last',
    '5',
    '--keep-prereleases',
    '2',
    '--max-age',
    '90d',
  ]);
  assert.equal(set.code, 0, set.stderr);
  assert.equal(
    set.stdout,
    'repository "team": keep the 5 highest releases and 2 highest prereleases of each chart; others go once older than 90d\n' +
      'applied after each push of a chart; nothing was removed now (charthouse retention --dry-run shows what would go)\n',
  );
  const shown = await runInProcess(dir, ['repo', 'settings', 'team', '--json']);
  assert.deepEqual(JSON.parse(shown.stdout), {
    path: 'team',
    immutable: false,
    retention: { keepLast: 5, keepPrereleases: 2, maxAge: '90d' },
  });
  assert.equal(
    (await runInProcess(dir, ['repo', 'set-retention', 'team', '--clear'])).stdout,
    'repository "team" has no retention rule any more\n',
  );
  assert.match((await runInProcess(dir, ['repo', 'settings', 'team'])).stdout, /^retention: {4}none$/m);
});

test('repo set-retention refuses a bad rule with exit 1 or 2 and the reason', async (t) => {
  const dir = await storage(t);
  const cases: Array<[string[], number, string]> = [
    [['--keep-last', '0'], 1, 'charthouse: --keep-last must be a whole number from 1 to 100000, not "0"'],
    [['--max-age', '90d'], 1, 'charthouse: a retention rule needs --keep-last N (N ≥ 1)'],
    [
      ['--keep-last', '1', '--max-age', 'often'],
      1,
      'charthouse: --max-age must be a duration such as 90d, 12h or 30m, not "often"',
    ],
    [
      [],
      2,
      'charthouse: missing --keep-last or --clear: charthouse repo set-retention PATH --keep-last N [--keep-prereleases M] [--max-age 90d] | --clear',
    ],
    [
      ['--clear', '--keep-last', '2'],
      2,
      'charthouse: --clear cannot go with --keep-last: charthouse repo set-retention PATH --keep-last N [--keep-prereleases M] [--max-age 90d] | --clear',
    ],
  ];
  for (const [flags, code, message] of cases) {
    const run = await runInProcess(dir, ['repo', 'set-retention', 'team', ...flags]);
    assert.equal(run.code, code, `${flags.join(' ')}: ${run.stderr}`);
    assert.deepEqual(run.stderrLines, [message]);
  }
  const ghost = await runInProcess(dir, ['repo', 'set-retention', 'ghost', '--keep-last', '1']);
  assert.deepEqual([ghost.code, ghost.stderrLines], [1, ['charthouse: repository "ghost" does not exist']]);
});

test('repo set-immutable is one-way and says so', async (t) => {
  const dir = await storage(t);
  const run = await runInProcess(dir, ['repo', 'set-immutable', 'team']);
  assert.equal(run.code, 0);
  assert.equal(
    run.stdout,
    'repository "team" is immutable: no overwrite, tags never move, only server admins delete (this cannot be undone)\n',
  );
  assert.match((await runInProcess(dir, ['repo', 'settings', 'team'])).stdout, /^immutable: {4}yes$/m);
});

test('repo set-artifacthub reads and checks the file; --clear removes the metadata', async (t) => {
  const dir = await storage(t);
  const file = join(dir, 'artifacthub-repo.yml');
  await writeFile(file, 'repositoryID: c4b5b1a2-9f55-4c2c-8d1e-0a7b5e9f1234\n');
  const set = await runInProcess(dir, ['repo', 'set-artifacthub', 'team', '--file', file]);
  assert.equal(set.code, 0, set.stderr);
  assert.equal(
    set.stdout,
    `repository "team" serves ${file} as artifacthub-repo.yml and the artifacthub.io tag\n`,
  );
  await writeFile(file, 'owner: me\n');
  const bad = await runInProcess(dir, ['repo', 'set-artifacthub', 'team', '--file', file]);
  assert.deepEqual(
    [bad.code, bad.stderrLines],
    [
      1,
      [
        'charthouse: artifacthub-repo.yml is not valid: unknown field "owner" (the fields are repositoryID, owners, ignore)',
      ],
    ],
  );
  const missing = await runInProcess(dir, [
    'repo',
    'set-artifacthub',
    'team',
    '--file',
    join(dir, 'nope.yml'),
  ]);
  assert.deepEqual(
    [missing.code, missing.stderrLines],
    [1, [`charthouse: cannot read ${join(dir, 'nope.yml')}: ENOENT`]],
  );
  const shown = JSON.parse((await runInProcess(dir, ['repo', 'settings', 'team', '--json'])).stdout);
  assert.deepEqual(shown.artifactHub, { repositoryID: 'c4b5b1a2-9f55-4c2c-8d1e-0a7b5e9f1234' });
  await runInProcess(dir, ['repo', 'set-artifacthub', 'team', '--clear']);
  assert.equal(
    JSON.parse((await runInProcess(dir, ['repo', 'settings', 'team', '--json'])).stdout).artifactHub,
    undefined,
  );
});

test('charthouse retention runs from the real command line and refuses a missing store', async (t) => {
  const dir = await storage(t);
  const run = runCli(dir, ['retention', '--dry-run']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'retention: nothing to remove\n');
  const empty = await mkdtemp(join(tmpdir(), 'charthouse-empty-'));
  t.after(() => rm(empty, { recursive: true, force: true }));
  const none = runCli(empty, ['retention']);
  assert.equal(none.code, 1);
  assert.deepEqual(none.stderrLines, [
    `charthouse: no Charthouse store in ${empty}: charthouse.db is missing`,
  ]);
});

test("repo settings shows a proxy repository's upstream, its TTL and kind of credentials, never the secret", async (t) => {
  const dir = await storage(t);
  const created = await runInProcess(dir, [
    'repo',
    'create',
    'mirror',
    '--proxy',
    'https://charts.example.test/stable',
    '--ttl',
    '15m',
    '--upstream-username',
    'reader',
    '--upstream-password',
    'not-for-your-eyes',
  ]);
  assert.equal(created.code, 0, created.stderr);
  const shown = (await runInProcess(dir, ['repo', 'settings', 'mirror'])).stdout;
  assert.match(
    shown,
    /^proxy of: {5}https:\/\/charts\.example\.test\/stable \(index fetched at most every 15m, basic credentials\)$/m,
  );
  assert.doesNotMatch(shown, /not-for-your-eyes/);
  assert.match((await runInProcess(dir, ['repo', 'settings', 'team'])).stdout, /^proxy of: {5}none$/m);
});
