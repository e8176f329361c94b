import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addRepository, addUser, basic } from '../support/auth.js';
import { buildTestApp } from '../support/build-app.js';
import { freshDatabase } from '../support/engines.js';
import { makeChart } from '../support/make-chart.js';
import { signIn } from '../support/ui-session.js';

const PASSWORD = 'correct horse battery';

test('two replicas on one PostgreSQL database share sign-in sessions: made on one, used and ended on the other', async (t) => {
  const database = await freshDatabase();
  const settings = { auth: 'on' as const, anonymousRead: false, database };
  const a = await buildTestApp(t, settings);
  const b = await buildTestApp(t, settings);
  await addUser(a.stores.auth, 'alice', PASSWORD);
  await addRepository(a.stores.auth, 'team', 'private', { alice: 'write' });
  const pushed = await a.http
    .post('/api/team/charts')
    .set('authorization', basic('alice', PASSWORD))
    .set('content-type', 'application/octet-stream')
    .send(await makeChart({ name: 'secret-app', version: '1.0.0' }));
  assert.equal(pushed.status, 201, pushed.text);

  const { cookie, csrf } = await signIn(a.http, 'alice', PASSWORD);
  assert.equal((await b.http.get('/ui/charts/team/secret-app')).status, 401);
  const onB = await b.http.get('/ui/charts/team/secret-app').set('cookie', cookie);
  assert.equal(onB.status, 200, onB.text);
  assert.match(onB.text, /<span class="user">alice<\/span>/);

  // the CSRF token comes from the session, so a form of one replica posts to the other
  const created = await b.http
    .post('/ui/tokens')
    .set('cookie', cookie)
    .type('form')
    .send({ csrf, name: 'ci' });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(
    (await a.stores.auth.listTokens('alice')).map((token) => token.name),
    ['ci'],
  );

  const out = await b.http.post('/ui/signout').set('cookie', cookie).type('form').send({ csrf });
  assert.equal(out.status, 303);
  assert.equal((await a.http.get('/ui/charts/team/secret-app').set('cookie', cookie)).status, 401);
});
