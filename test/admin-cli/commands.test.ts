import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyPassword } from '../../src/auth/passwords.js';
import { hashToken, looksLikeToken } from '../../src/auth/tokens.js';
import { createSqliteAuthStore } from '../../src/store/sqlite-auth-store.js';
import { runCli, runInProcess } from './run-cli.js';

function tempStorage(t: { after(fn: () => unknown): void }): string {
  const storage = mkdtempSync(join(tmpdir(), 'charthouse-admin-cli-'));
  t.after(() => rmSync(storage, { recursive: true, force: true }));
  return storage;
}

/** Reads what the CLI wrote, through the store the server uses. */
async function withStore<T>(
  storage: string,
  read: (store: ReturnType<typeof createSqliteAuthStore>) => Promise<T>,
) {
  const store = createSqliteAuthStore(join(storage, 'charthouse.db'));
  try {
    return await read(store);
  } finally {
    store.db.close();
  }
}

function ok(run: ReturnType<typeof runCli>) {
  assert.equal(run.code, 0, run.stderr);
  return run;
}

test('user add, list, passwd and remove round trip through the store', async (t) => {
  const storage = tempStorage(t);
  assert.match(
    ok(runCli(storage, ['user', 'add', 'root', '--admin', '--password-stdin'], 'first password\n')).stdout,
    /added server admin "root"/,
  );
  ok(runCli(storage, ['user', 'add', 'bob', '--password-stdin'], 'bob password\r\nignored line\n'));

  const table = ok(runCli(storage, ['user', 'list'])).stdout.split('\n');
  assert.match(table[0] ?? '', /^NAME\s+ADMIN\s+CREATED$/);
  assert.match(table[1] ?? '', /^bob\s+no\s+\d{4}-/);
  assert.match(table[2] ?? '', /^root\s+yes\s+\d{4}-/);
  const listed = JSON.parse(ok(runCli(storage, ['user', 'list', '--json'])).stdout);
  assert.deepEqual(
    listed.map((user: { name: string; admin: boolean }) => [user.name, user.admin]),
    [
      ['bob', false],
      ['root', true],
    ],
  );
  assert.doesNotMatch(JSON.stringify(listed), /scrypt|password/);

  ok(runCli(storage, ['user', 'passwd', 'bob', '--password-stdin'], 'a new password\n'));
  await withStore(storage, async (store) => {
    const bob = await store.getUser('bob');
    assert.ok(bob);
    assert.equal(await verifyPassword('a new password', bob.passwordHash), true);
    assert.equal(await verifyPassword('bob password', bob.passwordHash), false);
    assert.equal(await store.countAdmins(), 1);
  });

  assert.match(ok(runCli(storage, ['user', 'remove', 'bob'])).stdout, /removed user "bob"/);
  const last = runCli(storage, ['user', 'remove', 'root']);
  assert.equal(last.code, 1);
  assert.deepEqual(last.stderrLines, [
    'charthouse: cannot remove "root": it is the last server admin (add another admin first)',
  ]);
  assert.deepEqual(
    JSON.parse(ok(runCli(storage, ['user', 'list', '--json'])).stdout).map(
      (user: { name: string }) => user.name,
    ),
    ['root'],
  );
});

test('token create prints only the secret, which the store knows by its hash', async (t) => {
  const storage = tempStorage(t);
  ok(runCli(storage, ['user', 'add', 'ci', '--password-stdin'], 'ci password\n'));
  const created = ok(runCli(storage, ['token', 'create', 'ci', 'deploy', '--expires-in', '90d']));
  const secret = created.stdout.trim();
  assert.ok(looksLikeToken(secret), created.stdout);
  assert.equal(created.stdout, `${secret}\n`);
  assert.match(created.stderr, /created token "deploy" for "ci", expiring \d{4}-.*shown only this once/);
  ok(runCli(storage, ['token', 'create', 'ci', 'dated', '--expires', '2099-01-31']));

  const listed = ok(runCli(storage, ['token', 'list', 'ci', '--json'])).stdout;
  assert.doesNotMatch(listed, new RegExp(secret.slice(4)));
  assert.deepEqual(
    JSON.parse(listed).map((token: { name: string; status: string; expires?: string }) => [
      token.name,
      token.status,
      token.expires?.slice(0, 10),
    ]),
    [
      ['dated', 'active', '2099-01-31'],
      ['deploy', 'active', new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10)],
    ],
  );
  await withStore(storage, async (store) => {
    const token = await store.findToken(hashToken(secret));
    assert.equal(token?.user, 'ci');
    assert.equal(token?.revoked, undefined);
  });

  ok(runCli(storage, ['token', 'revoke', 'ci', 'deploy']));
  const table = ok(runCli(storage, ['token', 'list'])).stdout;
  assert.match(table, /^USER\s+NAME\s+STATUS\s+CREATED\s+EXPIRES\s+LAST USED\n/);
  assert.match(table, /\nci\s+deploy\s+revoked\s/);
  await withStore(storage, async (store) => {
    assert.match((await store.findToken(hashToken(secret)))?.revoked ?? '', /^\d{4}-/);
  });
});

test('repo create, list, set-visibility, grant and revoke round trip', (t) => {
  const storage = tempStorage(t);
  ok(runCli(storage, ['user', 'add', 'dev', '--password-stdin'], 'dev password\n'));
  assert.match(
    ok(runCli(storage, ['repo', 'create', 'team/apps', '--visibility', 'private'])).stdout,
    /created private repository "team\/apps"/,
  );
  ok(runCli(storage, ['repo', 'grant', 'team/apps', 'dev', 'write']));
  ok(runCli(storage, ['repo', 'set-visibility', '/', 'private']));
  const table = ok(runCli(storage, ['repo', 'list'])).stdout;
  assert.match(table, /^PATH\s+VISIBILITY\s+MEMBERS\n\/\s+private\s+-\nteam\/apps\s+private\s+dev:write\n$/);

  ok(runCli(storage, ['repo', 'set-visibility', 'team/apps', 'public']));
  ok(runCli(storage, ['repo', 'revoke', 'team/apps', 'dev']));
  assert.deepEqual(JSON.parse(ok(runCli(storage, ['repo', 'list', '--json'])).stdout), [
    { path: '', visibility: 'private', visibilityIsDefault: false, members: [] },
    { path: 'team/apps', visibility: 'public', visibilityIsDefault: false, members: [] },
  ]);
});

test('the real command exits 2 for a usage error and 1 for a refusal, with one line each', (t) => {
  const storage = tempStorage(t);
  const usage = runCli(storage, ['user', 'remove']);
  assert.equal(usage.code, 2);
  assert.deepEqual(usage.stderrLines, ['charthouse: missing NAME: charthouse user remove NAME']);
  const refused = runCli(storage, ['user', 'remove', 'nobody']);
  assert.equal(refused.code, 1);
  assert.deepEqual(refused.stderrLines, ['charthouse: no user "nobody"']);
  assert.equal(usage.stdout + refused.stdout, '');
});

test('usage errors name what is wrong and the usage line', async (t) => {
  const storage = tempStorage(t);
  const usage: Array<[string[], string]> = [
    [['user'], 'missing subcommand for "charthouse user" (expected add, list, remove, passwd)'],
    [['token', 'mint'], 'unknown subcommand "mint" for "charthouse token" (expected create, list, revoke)'],
    [['repo', 'grant', 'team', 'dev'], 'missing ROLE: charthouse repo grant PATH USER read|write|admin'],
    [['user', 'remove', 'a', 'b'], 'unexpected argument "b": charthouse user remove NAME'],
    [['user', 'list', '--admin'], '--admin is not an option of: charthouse user list [--json]'],
    [['user', 'add', 'x', '--admin=yes'], '--admin takes no value'],
    [['token', 'create', 'ci', 'x', '--expires-in'], 'missing value for --expires-in'],
    [['user', 'list', '--prot', '1'], 'unknown option --prot (did you mean --port?)'],
    // an argument with one dash is an option, not a name (the maintenance commands say the same)
    [['user', 'remove', '-storage', 'x'], 'unknown option -storage (did you mean --storage?)'],
    [
      ['user', 'add', 'dev'],
      'no password given: pipe it with --password-stdin, or run on a terminal to be prompted',
    ],
    [
      ['user', 'add', 'eve', '--password-stdin'],
      '--password-stdin: standard input ended before a password line',
    ],
  ];
  for (const [args, line] of usage) {
    const run = await runInProcess(storage, args);
    assert.equal(run.code, 2, args.join(' '));
    assert.deepEqual(run.stderrLines, [`charthouse: ${line}`]);
    assert.equal(run.stdout, '');
  }
});

test('refusals exit 1 with the reason', async (t) => {
  const storage = tempStorage(t);
  const missingStore = await runInProcess(join(storage, 'nothing-here'), ['user', 'list']);
  assert.equal(missingStore.code, 1);
  assert.match(missingStore.stderr, /no Charthouse store in .*nothing-here: charthouse.db is missing/);

  assert.equal(
    (await runInProcess(storage, ['user', 'add', 'dev', '--password-stdin'], 'dev password\n')).code,
    0,
  );
  const refusals: Array<[string[], string, string]> = [
    [['user', 'add', 'dev', '--password-stdin'], 'dev password\n', 'a user named "dev" already exists'],
    [['user', 'add', 'Dev', '--password-stdin'], 'dev password\n', 'user name "Dev" is not valid'],
    [
      ['user', 'add', 'eve', '--password-stdin'],
      'short\n',
      'the password must be at least 8 characters long',
    ],
    [['user', 'passwd', 'nobody', '--password-stdin'], 'long enough\n', 'no user "nobody"'],
    [['user', 'remove', 'nobody'], '', 'no user "nobody"'],
    [['token', 'create', 'dev', 'x', '--expires-in', 'soon'], '', 'expiry "soon" is not a duration'],
    [['token', 'create', 'dev', 'x', '--expires', '2001-01-01'], '', 'the expiry must lie in the future'],
    [['token', 'create', 'nobody', 'x'], '', 'no user "nobody"'],
    [['token', 'revoke', 'dev', 'x'], '', 'user "dev" has no token "x"'],
    [['token', 'list', 'nobody'], '', 'no user "nobody"'],
    [['repo', 'create', 'API'], '', 'repository "API" is not valid'],
    [['repo', 'create', '/'], '', 'the root repository already exists'],
    [
      ['repo', 'create', 'x', '--visibility', 'secret'],
      '',
      'visibility "secret" is not one of public, private',
    ],
    [['repo', 'set-visibility', 'missing', 'public'], '', 'no repository "missing"'],
    [
      ['repo', 'grant', 'missing', 'dev', 'read'],
      '',
      'no repository "missing"; create it first (repo create)',
    ],
    [['repo', 'grant', '/', 'dev', 'owner'], '', 'role "owner" is not one of read, write, admin'],
    [['repo', 'grant', '/', 'nobody', 'read'], '', 'no user "nobody"'],
    [['repo', 'revoke', '/', 'dev'], '', 'user "dev" has no role in the root repository'],
  ];
  for (const [args, input, message] of refusals) {
    const run = await runInProcess(storage, args, input);
    assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderrLines.length, 1, run.stderr);
    assert.ok(run.stderrLines[0]?.startsWith(`charthouse: ${message}`), `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, '');
  }
});
