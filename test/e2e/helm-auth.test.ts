// Real Helm 3.17 and 4.1 against a server with `--auth on`: `repo add` with credentials,
// `registry login` with --password-stdin, push and pull of a private OCI repository, and a
// token used as the password. Every request the server answered is printed when Helm fails.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addRepository, addToken, addUser, basic } from '../support/auth.js';
import { createHelm, type Helm, type HelmRunOptions, helmVersions } from '../support/helm.js';
import { type RunningServer, startTestServer } from '../support/listen.js';
import { writeChartDir } from '../support/make-chart-dir.js';

const PASSWORD = 'dev-password-1';

for (const version of helmVersions) {
  describe(`Helm ${version} against a private repository`, () => {
    const cleanups: Array<() => unknown> = [];
    const t = { after: (fn: () => unknown) => cleanups.push(fn) };
    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    });
    const ctx: { work?: string; server?: RunningServer; helm?: Helm; token?: string; requests: string[] } = {
      requests: [],
    };

    const state = () => {
      const { work, server, helm, token } = ctx;
      assert.ok(work && server && helm && token, 'setup did not finish');
      const host = new URL(server.url).host;
      const run = async (args: string[], opts: HelmRunOptions = {}) => {
        const seen = ctx.requests.length;
        const result = await helm.run(args, { ...opts, allowFailure: true });
        if (result.code !== 0 && !opts.allowFailure) {
          const log = ctx.requests.slice(seen).join('\n');
          throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}\n--- requests ---\n${log}`);
        }
        return result;
      };
      // Helm 4 speaks plain HTTP to a registry only when told; Helm 3.17's login has no such flag
      const loginFlags = version === '4' ? ['--plain-http'] : ['--insecure'];
      const login = (user: string, secret: string, opts: HelmRunOptions = {}) =>
        run(['registry', 'login', host, '--username', user, '--password-stdin', ...loginFlags], {
          ...opts,
          input: `${secret}\n`,
        });
      return { work, server, helm, token, host, run, login, oci: (path: string) => `oci://${host}/${path}` };
    };

    before(async () => {
      ctx.work = await mkdtemp(join(tmpdir(), `charthouse-helm${version}-auth-`));
      t.after(() => rm(ctx.work ?? '', { recursive: true, force: true }));
      ctx.server = await startTestServer(t, { auth: 'on', anonymousRead: false });
      ctx.server.app.server.on('request', (request, response) => {
        response.on('finish', () =>
          ctx.requests.push(`${request.method} ${request.url} → ${response.statusCode}`),
        );
      });
      ctx.helm = await createHelm(version, t);
      const store = ctx.server.stores.auth;
      await addUser(store, 'root', 'root-password', true);
      await addUser(store, 'dev', PASSWORD);
      ctx.token = await addToken(store, 'dev', 'ci');
      // the classic repository, published over HTTP by the server admin
      const dir = await writeChartDir(join(ctx.work, 'src'), { name: 'classic', version: '1.0.0' });
      await ctx.helm.run(['package', dir, '-d', join(ctx.work, 'pkg')]);
      const res = await fetch(`${ctx.server.url}/api/private/charts`, {
        method: 'POST',
        headers: { authorization: basic('root', 'root-password') },
        body: await readFile(join(ctx.work, 'pkg', 'classic-1.0.0.tgz')),
      });
      assert.equal(res.status, 201, await res.text());
      await addRepository(store, 'private', 'private', { dev: 'write' });
      const oci = await writeChartDir(join(ctx.work, 'src'), { name: 'pushed', version: '0.1.0' });
      await ctx.helm.run(['package', oci, '-d', join(ctx.work, 'pkg')]);
    });

    test('repo add fails without credentials and works with a username and password', async () => {
      const { server, run, work } = state();
      const refused = await run(['repo', 'add', 'anon', `${server.url}/private`], { allowFailure: true });
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /401|unauthorized/i);
      await run([
        'repo',
        'add',
        'priv',
        `${server.url}/private`,
        '--username',
        'dev',
        '--password',
        PASSWORD,
      ]);
      await mkdir(join(work, `classic-${version}`));
      await run(['pull', 'priv/classic', '--version', '1.0.0', '-d', join(work, `classic-${version}`)]);
      const pulled = await readFile(join(work, `classic-${version}`, 'classic-1.0.0.tgz'));
      assert.deepEqual(pulled, await readFile(join(work, 'pkg', 'classic-1.0.0.tgz')));
    });

    test('registry login refuses a wrong password and accepts the right one; push and pull then work', async () => {
      const { run, login, oci, work } = state();
      const wrong = await login('dev', 'not-the-password', { allowFailure: true });
      assert.notEqual(wrong.code, 0, 'a wrong password must not log in');
      await login('dev', PASSWORD);
      await run(['push', join(work, 'pkg', 'pushed-0.1.0.tgz'), oci('private'), '--plain-http']);
      const dest = join(work, `pulled-${version}`);
      await mkdir(dest);
      await run(['pull', oci('private/pushed'), '--version', '0.1.0', '--plain-http', '-d', dest]);
      assert.deepEqual(
        await readFile(join(dest, 'pushed-0.1.0.tgz')),
        await readFile(join(work, 'pkg', 'pushed-0.1.0.tgz')),
      );
    });

    test('after logout a pull is refused, and a token works as the password', async () => {
      const { host, run, login, oci, work, token } = state();
      await run(['registry', 'logout', host]);
      await mkdir(join(work, `refused-${version}`));
      const refused = await run(
        [
          'pull',
          oci('private/pushed'),
          '--version',
          '0.1.0',
          '--plain-http',
          '-d',
          join(work, `refused-${version}`),
        ],
        { allowFailure: true },
      );
      assert.match(refused.stderr, /auth|credential/i, 'it failed for want of credentials');
      assert.notEqual(refused.code, 0, 'an anonymous pull of a private repository must fail');
      await login('dev', token);
      const dest = join(work, `token-${version}`);
      await mkdir(dest);
      await run(['pull', oci('private/classic'), '--version', '1.0.0', '--plain-http', '-d', dest]);
      assert.deepEqual(
        await readFile(join(dest, 'classic-1.0.0.tgz')),
        await readFile(join(work, 'pkg', 'classic-1.0.0.tgz')),
      );
    });
  });
}
