import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RepositorySettingsStore } from '../../src/lifecycle/repository-settings.js';

export interface SettingsFixture {
  settings: RepositorySettingsStore;
  /** creates a repository row, as a first push or `repo create` would */
  createRepository(path: string): Promise<void>;
  close(): Promise<void>;
}

const T0 = '2026-01-01T00:00:00.000Z';

/** The suite every RepositorySettingsStore passes (SQLite and PostgreSQL). */
export function repositorySettingsContract(backend: string, open: () => Promise<SettingsFixture>) {
  const fixture = async (t: { after(fn: () => unknown): void }) => {
    const opened = await open();
    t.after(() => opened.close());
    return opened;
  };

  test(`${backend}: a repository that does not exist has no settings, and cannot get any`, async (t) => {
    const { settings } = await fixture(t);
    assert.equal(await settings.get('ghost'), undefined);
    assert.equal(await settings.update('ghost', { immutable: true }, T0), undefined);
    assert.deepEqual(await settings.listRetention(), []);
  });

  test(`${backend}: a repository starts mutable, without retention or Artifact Hub metadata`, async (t) => {
    const { settings, createRepository } = await fixture(t);
    await createRepository('team');
    assert.deepEqual(await settings.get('team'), { path: 'team', immutable: false });
    // the root repository exists from the start
    assert.deepEqual(await settings.get(''), { path: '', immutable: false });
  });

  test(`${backend}: each setting is kept on its own, and cleared on its own`, async (t) => {
    const { settings, createRepository } = await fixture(t);
    await createRepository('team');
    const rule = { keepLast: 5, keepPrereleases: 0, maxAgeMs: 90 * 86_400_000 };
    const hub = {
      repositoryID: 'c4b5b1a2-9f55-4c2c-8d1e-0a7b5e9f1234',
      owners: [{ name: 'Ann', email: 'ann@example.com' }, { email: 'ops@example.com' }],
      ignore: [{ name: 'old' }, { name: 'web', version: '^0\\.' }],
    };
    await settings.update('team', { retention: rule }, T0);
    const both = await settings.update('team', { artifactHub: hub }, T0);
    assert.deepEqual(both, { path: 'team', immutable: false, retention: rule, artifactHub: hub });
    await settings.update('team', { retention: null }, T0);
    assert.deepEqual(await settings.get('team'), { path: 'team', immutable: false, artifactHub: hub });
    await settings.update('team', { retention: { keepLast: 2 } }, T0);
    await settings.update('team', { artifactHub: null }, T0);
    assert.deepEqual(await settings.get('team'), {
      path: 'team',
      immutable: false,
      retention: { keepLast: 2 },
    });
  });

  test(`${backend}: immutability stays once set, whatever else changes`, async (t) => {
    const { settings, createRepository } = await fixture(t);
    await createRepository('team');
    await createRepository('other');
    assert.equal((await settings.update('team', { immutable: true }, T0))?.immutable, true);
    assert.equal((await settings.update('team', { retention: { keepLast: 1 } }, T0))?.immutable, true);
    assert.equal(
      (await settings.update('team', { retention: null, artifactHub: null }, T0))?.immutable,
      true,
    );
    assert.equal((await settings.get('other'))?.immutable, false);
  });

  test(`${backend}: listRetention lists the repositories with a rule, in path order`, async (t) => {
    const { settings, createRepository } = await fixture(t);
    for (const path of ['zeta', 'alpha/apps', 'alpha', 'none']) await createRepository(path);
    await settings.update('zeta', { retention: { keepLast: 3 } }, T0);
    await settings.update('alpha/apps', { retention: { keepLast: 1, maxAgeMs: 1000 } }, T0);
    await settings.update('', { retention: { keepLast: 7, keepPrereleases: 2 } }, T0);
    await settings.update('none', { immutable: true }, T0);
    assert.deepEqual(await settings.listRetention(), [
      { path: '', retention: { keepLast: 7, keepPrereleases: 2 } },
      { path: 'alpha/apps', retention: { keepLast: 1, maxAgeMs: 1000 } },
      { path: 'zeta', retention: { keepLast: 3 } },
    ]);
  });

  test(`${backend}: a retired version keeps the first digest recorded for it, per repository`, async (t) => {
    const { settings, createRepository } = await fixture(t);
    await createRepository('team');
    await createRepository('other');
    assert.equal(await settings.retiredDigest('team', 'web', '1.0.0'), undefined);
    await settings.retire('team', 'web', '1.0.0', 'a'.repeat(64), T0);
    await settings.retire('team', 'web', '1.0.0', 'b'.repeat(64), T0);
    assert.equal(await settings.retiredDigest('team', 'web', '1.0.0'), 'a'.repeat(64));
    assert.equal(await settings.retiredDigest('other', 'web', '1.0.0'), undefined);
    assert.equal(await settings.retiredDigest('team', 'web', '1.0.1'), undefined);
    // a repository that does not exist records nothing
    await settings.retire('ghost', 'web', '1.0.0', 'a'.repeat(64), T0);
    assert.equal(await settings.retiredDigest('ghost', 'web', '1.0.0'), undefined);
  });

  test(`${backend}: a proxy's upstream keeps its credentials in the store, and its view shows none`, async (t) => {
    const { settings, createRepository } = await fixture(t);
    await createRepository('mirror');
    assert.equal(await settings.proxyUpstream('mirror'), undefined);
    const upstream = {
      url: 'https://charts.example/stable',
      ttlMs: 600_000,
      username: 'u',
      password: 's3cret',
    };
    await settings.update('mirror', { retention: { keepLast: 3 } }, T0);
    const shown = await settings.update('mirror', { proxy: upstream }, T0);
    assert.deepEqual(shown?.proxy, {
      url: upstream.url,
      ttlMs: 600_000,
      authentication: 'basic',
      customCa: false,
    });
    assert.ok(!JSON.stringify(await settings.get('mirror')).includes('s3cret'));
    assert.deepEqual(await settings.proxyUpstream('mirror'), upstream);
    // another setting changed later leaves the upstream and its credentials as they were
    await settings.update('mirror', { retention: null }, T0);
    assert.deepEqual(await settings.proxyUpstream('mirror'), upstream);
    assert.equal(await settings.proxyUpstream('ghost'), undefined);
  });

  test(`${backend}: a proxy's fetched index is replaced whole, and a 304 moves only when it was checked`, async (t) => {
    const { settings, createRepository } = await fixture(t);
    await createRepository('mirror');
    assert.equal(await settings.proxyIndex('mirror', { body: true }), undefined);
    await settings.saveProxyIndex('mirror', {
      body: 'apiVersion: v1\nentries: {}\n',
      digest: 'aa',
      etag: '"e1"',
      checkedAt: 1000,
    });
    assert.deepEqual(await settings.proxyIndex('mirror', { body: false }), {
      digest: 'aa',
      etag: '"e1"',
      checkedAt: 1000,
    });
    await settings.touchProxyIndex('mirror', 5000);
    // an older answer arriving late never moves it back
    await settings.touchProxyIndex('mirror', 2000);
    assert.equal((await settings.proxyIndex('mirror', { body: false }))?.checkedAt, 5000);
    await settings.saveProxyIndex('mirror', {
      body: 'entries: {a: []}\n',
      digest: 'bb',
      lastModified: 'Sun, 06 Dec 2026 10:00:00 GMT',
      checkedAt: 6000,
    });
    assert.deepEqual(await settings.proxyIndex('mirror', { body: true }), {
      body: 'entries: {a: []}\n',
      digest: 'bb',
      lastModified: 'Sun, 06 Dec 2026 10:00:00 GMT',
      checkedAt: 6000,
    });
  });
}
