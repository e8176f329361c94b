import assert from 'node:assert/strict';
import type supertest from 'supertest';

/** The `name=value` of a Set-Cookie answer, for the Cookie header of the next request. */
export function cookieOf(setCookie: string | string[] | undefined, name = 'charthouse_session'): string {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const found = all.find((c) => c.startsWith(`${name}=`));
  assert.ok(found, `no ${name} cookie in ${JSON.stringify(all)}`);
  return found.split(';')[0] ?? '';
}

/** The CSRF token a signed-in page carries in its forms. */
export function csrfOf(page: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(page);
  assert.ok(match?.[1], 'the page holds no CSRF field');
  return match[1];
}

/** Signs in through the form and returns the session cookie and a page's CSRF token. */
export async function signIn(
  http: ReturnType<typeof supertest>,
  user: string,
  password: string,
  base = '',
): Promise<{ cookie: string; csrf: string }> {
  const res = await http
    .post(`${base}/ui/signin`)
    .type('form')
    .send({ user, password, next: `${base}/ui/` });
  assert.equal(res.status, 303, res.text);
  const cookie = cookieOf(res.headers['set-cookie']);
  const page = await http.get(`${base}/ui/tokens`).set('cookie', cookie);
  assert.equal(page.status, 200, page.text);
  return { cookie, csrf: csrfOf(page.text) };
}
