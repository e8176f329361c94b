import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLoginLimiter } from '../../src/auth/login-limiter.js';
import { addRepository, addUser } from '../support/auth.js';
import { buildTestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { publishChart } from '../support/ui.js';
import { cookieOf, csrfOf, signIn } from '../support/ui-session.js';

const PASSWORD = 'correct horse battery';

async function privateServer(
  t: Parameters<typeof buildTestApp>[0],
  options: Parameters<typeof buildTestApp>[2] = {},
) {
  const made = await buildTestApp(t, { auth: 'on', anonymousRead: false }, options);
  const store = made.stores.auth;
  await addUser(store, 'root', PASSWORD, true);
  await addUser(store, 'alice', PASSWORD);
  await addUser(store, 'bob', PASSWORD);
  await addRepository(store, 'team', 'private', { alice: 'admin' });
  const root = `Basic ${Buffer.from(`root:${PASSWORD}`).toString('base64')}`;
  const res = await made.http
    .post('/api/team/charts')
    .set('authorization', root)
    .set('content-type', 'application/octet-stream')
    .send(await makeChart({ name: 'secret-app', version: '1.0.0' }));
  assert.equal(res.status, 201, res.text);
  return made;
}

describe('signing in to the web UI', () => {
  test('a sign-in opens a session cookie: HttpOnly, SameSite=Lax, under /ui, not Secure over plain HTTP', async (t) => {
    const { http } = await privateServer(t);
    const res = await http
      .post('/ui/signin')
      .type('form')
      .send({ user: 'alice', password: PASSWORD, next: '/ui/charts' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/ui/charts');
    const set = String(res.headers['set-cookie']);
    assert.match(
      set,
      /^charthouse_session=[A-Za-z0-9_-]{43}; Path=\/ui; Max-Age=604800; HttpOnly; SameSite=Lax$/,
    );
  });

  test('behind a trusted TLS proxy the cookie is Secure', async (t) => {
    const { http, stores } = await buildTestApp(t, { auth: 'on', trustProxy: true });
    await addUser(stores.auth, 'alice', PASSWORD);
    const res = await http
      .post('/ui/signin')
      .set('x-forwarded-proto', 'https')
      .set('x-forwarded-host', 'charts.example.com')
      .set('origin', 'https://charts.example.com')
      .type('form')
      .send({ user: 'alice', password: PASSWORD });
    assert.equal(res.status, 303, res.text);
    assert.match(String(res.headers['set-cookie']), /; Secure$/);
  });

  test('a wrong password and an unknown user get the same answer, and the store keeps only a hash', async (t) => {
    const { http, dir } = await privateServer(t);
    const wrong = await http.post('/ui/signin').type('form').send({ user: 'alice', password: 'nope' });
    const unknown = await http.post('/ui/signin').type('form').send({ user: 'nobody', password: 'nope' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    const message = (text: string) => /role="alert">([^<]*)</.exec(text)?.[1];
    assert.equal(message(wrong.text), 'The user name, password or token is not right.');
    assert.equal(message(unknown.text), message(wrong.text));
    assert.equal(wrong.headers['set-cookie'], undefined);
    const { cookie } = await signIn(http, 'alice', PASSWORD);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${dir}/charthouse.db`, { readonly: true });
    t.after(() => db.close());
    const stored = db.prepare('SELECT id_hash FROM ui_sessions').pluck().all() as string[];
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0], cookie.split('=')[1]);
    assert.match(stored[0] ?? '', /^[0-9a-f]{64}$/);
  });

  test('a token signs in without the user name', async (t) => {
    const { http } = await privateServer(t);
    const { cookie, csrf } = await signIn(http, 'alice', PASSWORD);
    const created = await http
      .post('/ui/tokens')
      .set('cookie', cookie)
      .type('form')
      .send({ csrf, name: 'laptop' });
    assert.equal(created.status, 201);
    // the one secret on the page: the token list never shows one
    const secret = /cht_[A-Za-z0-9_-]{43}/.exec(created.text)?.[0];
    assert.ok(secret);
    const res = await http.post('/ui/signin').type('form').send({ user: '', password: secret });
    assert.equal(res.status, 303, res.text);
    const page = await http.get('/ui/tokens').set('cookie', cookieOf(res.headers['set-cookie']));
    assert.match(page.text, /<span class="user">alice<\/span>/);
  });

  test('signing in again as someone else checks the new credentials, not the old session', async (t) => {
    const { http } = await privateServer(t);
    const alice = await signIn(http, 'alice', PASSWORD);
    const wrong = await http
      .post('/ui/signin')
      .set('cookie', alice.cookie)
      .type('form')
      .send({ user: 'bob', password: 'not bob' });
    assert.equal(wrong.status, 401);
    const right = await http
      .post('/ui/signin')
      .set('cookie', alice.cookie)
      .type('form')
      .send({ user: 'bob', password: PASSWORD });
    assert.equal(right.status, 303);
    const page = await http.get('/ui/tokens').set('cookie', cookieOf(right.headers['set-cookie']));
    assert.match(page.text, /<span class="user">bob<\/span>/);
    assert.equal(
      (await http.get('/ui/tokens').set('cookie', alice.cookie)).status,
      303,
      "alice's session ended",
    );
  });

  test('failed sign-ins count in the login limiter: then 429 with Retry-After, even for the right password', async (t) => {
    const limiter = createLoginLimiter({ maxFailures: 2, windowMs: 60_000 });
    const { http } = await privateServer(t, { authenticator: { limiter } });
    for (let i = 0; i < 2; i++) {
      assert.equal(
        (await http.post('/ui/signin').type('form').send({ user: 'alice', password: 'x' })).status,
        401,
      );
    }
    const res = await http.post('/ui/signin').type('form').send({ user: 'alice', password: PASSWORD });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers['retry-after']) > 0);
    assert.match(res.text, /Too many failed sign-ins/);
  });

  test('`next` never leads off the UI', async (t) => {
    const { http } = await privateServer(t);
    for (const next of [
      'https://evil.example/',
      '//evil.example/ui/',
      '/ui//evil.example',
      '/api/charts',
      '/ui/../api',
    ]) {
      const res = await http
        .post('/ui/signin')
        .type('form')
        .send({ user: 'alice', password: PASSWORD, next });
      assert.equal(res.headers.location, '/ui/', next);
    }
  });
});

describe('what a session may see and do', () => {
  test('a private repository is a sign-in page before, and browsable after', async (t) => {
    const { http } = await privateServer(t);
    const before = await http.get('/ui/charts/team/secret-app');
    assert.equal(before.status, 401);
    assert.equal(before.headers['www-authenticate'], undefined, 'no Basic dialog in a browser');
    assert.match(before.text, /Sign in to see this page/);
    assert.match(before.text, /name="next" value="\/ui\/charts\/team\/secret-app"/);
    assert.doesNotMatch((await http.get('/ui/charts')).text, /secret-app/);

    const { cookie } = await signIn(http, 'alice', PASSWORD);
    const after = await http.get('/ui/charts/team/secret-app').set('cookie', cookie);
    assert.equal(after.status, 200);
    assert.match(after.headers['cache-control'] ?? '', /private/);
    assert.match(after.headers.vary ?? '', /Cookie/);
    assert.match((await http.get('/ui/charts').set('cookie', cookie)).text, /secret-app/);
    // bob is signed in but no member: the repository stays hidden
    const bob = await signIn(http, 'bob', PASSWORD);
    assert.equal((await http.get('/ui/charts/team/secret-app').set('cookie', bob.cookie)).status, 404);
  });

  test('the session cookie authenticates nothing outside the UI', async (t) => {
    const { http } = await privateServer(t);
    const { cookie } = await signIn(http, 'alice', PASSWORD);
    assert.equal((await http.get('/api/team/charts').set('cookie', cookie)).status, 401);
    assert.equal((await http.get('/team/index.yaml').set('cookie', cookie)).status, 401);
    const push = await http
      .post('/api/team/charts')
      .set('cookie', cookie)
      .set('content-type', 'application/octet-stream')
      .send(await makeChart({ name: 'sneaky', version: '1.0.0' }));
    assert.equal(push.status, 401);
    assert.equal((await http.get('/v2/team/secret-app/tags/list').set('cookie', cookie)).status, 401);
  });

  test('sign-out ends the session everywhere it was used', async (t) => {
    const { http } = await privateServer(t);
    const { cookie, csrf } = await signIn(http, 'alice', PASSWORD);
    const out = await http.post('/ui/signout').set('cookie', cookie).type('form').send({ csrf });
    assert.equal(out.status, 303);
    assert.match(String(out.headers['set-cookie']), /charthouse_session=; Path=\/ui; Max-Age=0/);
    assert.equal((await http.get('/ui/charts/team/secret-app').set('cookie', cookie)).status, 401);
  });

  test('a session ends after the idle timeout, and after its lifetime however active', async (t) => {
    let now = Date.parse('2026-06-01T00:00:00Z');
    const { http } = await privateServer(t, { authenticator: { now: () => now } });
    const page = (cookie: string) => http.get('/ui/charts/team/secret-app').set('cookie', cookie);
    const idle = await signIn(http, 'alice', PASSWORD);
    now += 11 * 3_600_000; // under the 12 h default
    assert.equal((await page(idle.cookie)).status, 200);
    now += 11 * 3_600_000; // 11 h after the last use: still live
    assert.equal((await page(idle.cookie)).status, 200);
    now += 12 * 3_600_000 + 1;
    const ended = await page(idle.cookie);
    assert.equal(ended.status, 401);
    assert.match(String(ended.headers['set-cookie']), /Max-Age=0/, 'the dead cookie is cleared');

    const busy = await signIn(http, 'alice', PASSWORD);
    const signedIn = now;
    // used every 10 h, it never idles out; the 7-day lifetime still ends it
    while (now + 10 * 3_600_000 < signedIn + 7 * 86_400_000) {
      now += 10 * 3_600_000;
      assert.equal((await page(busy.cookie)).status, 200, `after ${(now - signedIn) / 3_600_000} h`);
    }
    now = signedIn + 7 * 86_400_000;
    assert.equal((await page(busy.cookie)).status, 401);
  });
});

describe('forms that change state need the session and its CSRF token', () => {
  test('a missing or wrong token, or a form from another site, is a 403 page that says why', async (t) => {
    const { http } = await privateServer(t);
    const { cookie, csrf } = await signIn(http, 'alice', PASSWORD);
    const attempts = [
      http.post('/ui/tokens').set('cookie', cookie).type('form').send({ name: 'x' }),
      http
        .post('/ui/tokens')
        .set('cookie', cookie)
        .type('form')
        .send({ name: 'x', csrf: `${csrf.slice(1)}A` }),
      http
        .post('/ui/tokens')
        .set('cookie', cookie)
        .set('origin', 'https://evil.example')
        .type('form')
        .send({ name: 'x', csrf }),
      http
        .post('/ui/tokens')
        .set('cookie', cookie)
        .set('sec-fetch-site', 'cross-site')
        .type('form')
        .send({ name: 'x', csrf }),
      http.post('/ui/signout').set('cookie', cookie).type('form').send({}),
    ];
    for (const res of await Promise.all(attempts)) {
      assert.equal(res.status, 403);
      assert.match(res.text, /not sent from a page of this site, or the page is out of date/);
      assert.match(res.headers['content-type'] ?? '', /text\/html/);
    }
    const page = await http.get('/ui/tokens').set('cookie', cookie);
    assert.doesNotMatch(page.text, /<th scope="row">x<\/th>/, 'no token was created');
    // another session's token does not fit this one
    const other = await signIn(http, 'alice', PASSWORD);
    assert.notEqual(other.csrf, csrf);
    const crossed = await http
      .post('/ui/tokens')
      .set('cookie', cookie)
      .type('form')
      .send({ name: 'x', csrf: other.csrf });
    assert.equal(crossed.status, 403);
    assert.equal(csrfOf(page.text), csrf);
  });

  test('a form without a session asks to sign in again', async (t) => {
    const { http } = await privateServer(t);
    const res = await http.post('/ui/tokens').type('form').send({ name: 'x', csrf: 'whatever' });
    assert.equal(res.status, 403);
    assert.match(res.text, /not signed in, or your session has ended/);
    const page = await http.get('/ui/tokens');
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, '/ui/signin?next=%2Fui%2Ftokens');
  });
});

describe('pages are compressed and revalidated', () => {
  test('brotli or gzip as accepted, a weak ETag, 304 on If-None-Match, Vary on both', async (t) => {
    const { http } = await buildTestApp(t);
    for (let i = 0; i < 12; i++) {
      await publishChart(http, '', {
        name: `chart-${i}`,
        version: '1.0.0',
        chart: { description: 'a chart '.repeat(20) },
      });
    }
    const plain = await http.get('/ui/charts').set('accept-encoding', 'identity');
    assert.equal(plain.headers['content-encoding'], undefined);
    const etag = plain.headers.etag ?? '';
    assert.match(etag, /^W\/"[A-Za-z0-9_-]{27}"$/);
    assert.match(plain.headers.vary ?? '', /Accept-Encoding/);
    const br = await http
      .get('/ui/charts')
      .set('accept-encoding', 'gzip, deflate, br')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.etag, etag, 'one validator whatever the encoding');
    const gz = await http.get('/ui/charts').set('accept-encoding', 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.text, plain.text, 'gzip decodes to the same page');
    assert.ok(Number(gz.headers['content-length']) < plain.text.length / 2);
    const again = await http.get('/ui/charts').set('if-none-match', etag);
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    const changed = await http.get('/ui/charts').set('if-none-match', 'W/"something-else"');
    assert.equal(changed.status, 200);
    const preferGzip = await http.get('/ui/charts').set('accept-encoding', 'br;q=0.5, gzip');
    assert.equal(preferGzip.headers['content-encoding'], 'gzip');
  });

  test('the static files are compressed too, and a 404 page is never a 304', async (t) => {
    const { http } = await buildTestApp(t);
    const home = await http.get('/ui/');
    const css = /href="(\/ui\/static\/[^"]+\.css)"/.exec(home.text)?.[1] ?? '';
    const res = await http.get(css).set('accept-encoding', 'br');
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(res.headers['cache-control'] ?? '', /immutable/);
    const missing = await http.get('/ui/nowhere').set('if-none-match', '*');
    assert.equal(missing.status, 404);
  });
});
