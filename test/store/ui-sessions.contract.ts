import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuthStore } from '../../src/auth/auth-store.js';
import type { UiSessionStore } from '../../src/auth/ui-session-store.js';
import { isRegistryError } from '../../src/errors.js';

export interface UiSessionsFixture {
  sessions: UiSessionStore;
  auth: AuthStore;
  close(): Promise<void>;
}

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T01:00:00.000Z';
const T2 = '2026-01-01T02:00:00.000Z';
const END = '2026-01-08T00:00:00.000Z';

/** The suite every UiSessionStore passes (SQLite and PostgreSQL). */
export function uiSessionsContract(backend: string, open: () => Promise<UiSessionsFixture>) {
  const fixture = async (t: { after(fn: () => unknown): void }) => {
    const opened = await open();
    t.after(() => opened.close());
    await opened.auth.createUser({ name: 'alice', passwordHash: 'x', admin: false, created: T0 });
    return opened;
  };

  test(`${backend}: a session is found by its hash with its user, and only by it`, async (t) => {
    const { sessions } = await fixture(t);
    await sessions.create('h1', { user: 'alice', created: T0, expires: END });
    assert.deepEqual(await sessions.find('h1'), {
      user: 'alice',
      admin: false,
      created: T0,
      lastSeen: T0,
      expires: END,
    });
    assert.equal(await sessions.find('h2'), undefined);
  });

  test(`${backend}: a session for a user who does not exist is refused`, async (t) => {
    const { sessions } = await fixture(t);
    await assert.rejects(sessions.create('h1', { user: 'ghost', created: T0, expires: END }), (err) =>
      isRegistryError(err, 'USER_NOT_FOUND'),
    );
    assert.equal(await sessions.find('h1'), undefined);
  });

  test(`${backend}: touching moves last-seen forward only`, async (t) => {
    const { sessions } = await fixture(t);
    await sessions.create('h1', { user: 'alice', created: T0, expires: END });
    await sessions.touch('h1', T2);
    await sessions.touch('h1', T1);
    assert.equal((await sessions.find('h1'))?.lastSeen, T2);
  });

  test(`${backend}: the admin flag is the user's as it is now`, async (t) => {
    const { sessions, auth } = await fixture(t);
    await sessions.create('h1', { user: 'alice', created: T0, expires: END });
    await auth.setAdmin('alice', true);
    assert.equal((await sessions.find('h1'))?.admin, true);
  });

  test(`${backend}: removing a session ends it, once`, async (t) => {
    const { sessions } = await fixture(t);
    await sessions.create('h1', { user: 'alice', created: T0, expires: END });
    assert.equal(await sessions.remove('h1'), true);
    assert.equal(await sessions.remove('h1'), false);
    assert.equal(await sessions.find('h1'), undefined);
  });

  test(`${backend}: removing a user removes their sessions`, async (t) => {
    const { sessions, auth } = await fixture(t);
    await sessions.create('h1', { user: 'alice', created: T0, expires: END });
    await auth.removeUser('alice');
    assert.equal(await sessions.find('h1'), undefined);
  });

  test(`${backend}: expired sessions are swept, idle or past their end; live ones stay`, async (t) => {
    const { sessions } = await fixture(t);
    await sessions.create('idle', { user: 'alice', created: T0, expires: END });
    await sessions.create('ended', { user: 'alice', created: T1, expires: T2 });
    await sessions.create('live', { user: 'alice', created: T1, expires: END });
    assert.equal(await sessions.removeExpired(T1, T2), 2);
    assert.equal(await sessions.find('idle'), undefined);
    assert.equal(await sessions.find('ended'), undefined);
    assert.equal((await sessions.find('live'))?.user, 'alice');
  });
}
