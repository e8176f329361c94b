/**
 * A store with everything migrate-store copies, and what a client sees of it: the served state
 * of two stores is equal when every index.yaml (entries), package, provenance file, OCI manifest,
 * tag list and login answers alike.
 */
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import type supertest from 'supertest';
import { binary, sha256 as ociDigest, pushChart } from '../oci/oci-client.js';
import { addRepository, addToken, addUser, basic } from '../support/auth.js';
import type { TestApp } from '../support/build-app.js';
import { makeChart } from '../support/make-chart.js';
import { type Seeded, seedStore, sha256 } from './seed.js';

type Http = ReturnType<typeof supertest>;

export interface FullSeed extends Seeded {
  admin: string;
  /** the secret of user dev's token */
  token: string;
  revoked: string;
}

export const ADMIN_PASSWORD = 'correct horse battery';

/** seedStore's charts, provenance, OCI image and blob link, plus a chart pushed over OCI, users, tokens and a private repository. */
export async function seedFullStore(app: TestApp): Promise<FullSeed> {
  const seeded = await seedStore(app);
  const tgz = await makeChart({ name: 'ocichart', version: '0.1.0' });
  const pushed = await pushChart(app.http, 'team/ocichart', tgz, { name: 'ocichart', version: '0.1.0' });
  assert.equal(pushed.res.status, 201, pushed.res.text);
  const hidden = await makeChart({ name: 'hidden', version: '2.0.0-rc.1' });
  await app.http
    .post('/api/secret/charts')
    .set('content-type', 'application/octet-stream')
    .send(hidden)
    .expect(201);

  const auth = app.stores.auth;
  await addUser(auth, 'root', ADMIN_PASSWORD, true);
  await addUser(auth, 'dev', 'dev password');
  const token = await addToken(auth, 'dev', 'ci');
  const revoked = await addToken(auth, 'dev', 'old', { revoked: true });
  await addRepository(auth, 'secret', 'private', { dev: 'read' });
  // `--auth auto` notices the first admin within a second (ADMIN_RECHECK_MS in access-control.ts):
  // until then the live app lets everyone in, and a snapshot of its logins would say so
  const deadline = Date.now() + 5000;
  while ((await app.http.get('/secret/index.yaml')).status !== 401) {
    assert.ok(Date.now() < deadline, 'the live app never began to enforce access control');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { ...seeded, admin: 'root', token, revoked };
}

const REPOSITORIES = ['', 'team', 'secret'];

interface IndexDoc {
  entries: Record<string, Array<{ version: string; digest: string; urls: string[] }>>;
}

/** Everything a client sees of a seeded store; `http` is a supertest agent on its server. */
export async function servedState(http: Http, seed: FullSeed) {
  const admin = basic('root', ADMIN_PASSWORD);
  const get = (path: string, auth = admin) =>
    http.get(path).set('authorization', auth).buffer(true).parse(binary);
  const state: Record<string, unknown> = {};
  for (const repository of REPOSITORIES) {
    const prefix = repository ? `/${repository}` : '';
    const res = await get(`${prefix}/index.yaml`).expect(200);
    const index = yaml.load(res.body.toString()) as IndexDoc;
    state[`index ${repository}`] = index.entries;
    for (const versions of Object.values(index.entries)) {
      for (const entry of versions) {
        const bytes = (await get(`${prefix}/${entry.urls[0]}`).expect(200)).body as Buffer;
        assert.equal(sha256(bytes), entry.digest, `${entry.urls[0]} downloads with its digest`);
      }
    }
  }
  state.prov = sha256((await get('/charts/app-1.0.0.tgz.prov').expect(200)).body as Buffer);
  for (const [name, tag] of [
    ['team/image', 'v1'],
    ['team/ocichart', '0.1.0'],
  ] as const) {
    const manifest = (await get(`/v2/${name}/manifests/${tag}`).expect(200)).body as Buffer;
    state[`manifest ${name}:${tag}`] = ociDigest(manifest);
    state[`tags ${name}`] = JSON.parse((await get(`/v2/${name}/tags/list`).expect(200)).body.toString());
  }
  await get(`/v2/team/image/blobs/sha256:${seed.linked}`).expect(200);
  state.logins = {
    admin: (await get('/secret/index.yaml').ok(() => true)).status,
    token: (await get('/secret/index.yaml', basic('dev', seed.token)).ok(() => true)).status,
    revoked: (await get('/secret/index.yaml', basic('dev', seed.revoked)).ok(() => true)).status,
    wrong: (await get('/secret/index.yaml', basic('dev', 'not the password')).ok(() => true)).status,
    anonymous: (await http.get('/secret/index.yaml').ok(() => true)).status,
  };
  return state;
}
