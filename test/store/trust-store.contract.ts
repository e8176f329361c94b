import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MetadataStore } from '../../src/store/metadata-store.js';
import type { TrustedKey, TrustStore } from '../../src/store/trust-store.js';

/** Both stores on one database, as open-stores.ts opens them. */
export type OpenTrust = (t: {
  after(fn: () => unknown): void;
}) => Promise<{ trust: TrustStore; meta: MetadataStore }>;

const T0 = '2026-01-01T00:00:00.000Z';

function key(scope: string, fingerprint: string, userId = 'Signer <s@example.invalid>'): TrustedKey {
  return {
    scope,
    fingerprint,
    userId,
    algorithm: 'ed25519',
    keyCreated: T0,
    added: T0,
    armored: `armored ${fingerprint}`,
  };
}

async function publish(meta: MetadataStore, repository: string, name: string, provDigest?: string) {
  await meta.publish({
    repository,
    overwrite: false,
    chart: {
      name,
      version: '1.0.0',
      digest: name.padEnd(64, '0'),
      size: 1,
      created: T0,
      metadata: { name, version: '1.0.0', apiVersion: 'v2' },
    },
    provenance:
      provDigest === undefined
        ? undefined
        : { name, version: '1.0.0', digest: provDigest, size: 1, created: T0 },
  });
}

/** The trust store's contract, run against every metadata backend. */
export function trustStoreContract(backend: string, open: OpenTrust): void {
  describe(`trust store contract: ${backend}`, () => {
    test("keys are kept per keyring: a repository sees its own and the global ones, never another repository's", async (t) => {
      const { trust } = await open(t);
      assert.equal(await trust.addKey(key('team', 'aa')), true);
      assert.equal(await trust.addKey(key('*', 'bb')), true);
      assert.equal(await trust.addKey(key('other', 'cc')), true);
      assert.equal(
        await trust.addKey(key('team', 'aa', 'Someone else')),
        false,
        'a fingerprint is once per keyring',
      );
      assert.equal(await trust.addKey(key('other', 'aa')), true, 'but may be in two keyrings');
      assert.deepEqual(
        (await trust.keysFor('team')).map((k) => [k.scope, k.fingerprint]),
        [
          ['*', 'bb'],
          ['team', 'aa'],
        ],
      );
      assert.deepEqual(
        (await trust.keysFor('')).map((k) => k.fingerprint),
        ['bb'],
      );
      assert.deepEqual(
        (await trust.listKeys()).map((k) => `${k.scope}:${k.fingerprint}`),
        ['*:bb', 'other:aa', 'other:cc', 'team:aa'],
      );
      assert.deepEqual(await trust.listKeys('team'), [key('team', 'aa')]);
      assert.equal(await trust.removeKey('team', 'bb'), false);
      assert.equal(await trust.removeKey('team', 'aa'), true);
      assert.deepEqual(
        (await trust.keysFor('team')).map((k) => k.fingerprint),
        ['bb'],
      );
    });

    test('a policy is off until set, and set again replaces it', async (t) => {
      const { trust } = await open(t);
      assert.equal(await trust.getPolicy('team'), 'off');
      await trust.setPolicy('team', 'verify');
      await trust.setPolicy('team', 'require');
      await trust.setPolicy('', 'verify');
      assert.equal(await trust.getPolicy('team'), 'require');
      assert.equal(await trust.getPolicy('team/sub'), 'off');
      assert.deepEqual(
        (await trust.listPolicies()).map((p) => [p.repository, p.signatures]),
        [
          ['', 'verify'],
          ['team', 'require'],
        ],
      );
    });

    test('verifications are recorded and forgotten per repository and provenance digest', async (t) => {
      const { trust } = await open(t);
      const v = { signer: 'Signer', fingerprint: 'ab'.repeat(20), verifiedAt: T0 };
      await trust.recordVerification('team', 'p1', v);
      await trust.recordVerification('team', 'p1', { ...v, signer: 'Again' });
      assert.deepEqual(await trust.getVerification('team', 'p1'), { ...v, signer: 'Again' });
      assert.equal(await trust.getVerification('other', 'p1'), undefined);
      await trust.recordVerification('team', 'p1', undefined);
      assert.equal(await trust.getVerification('team', 'p1'), undefined);
    });

    test("search shows each hit's provenance and filters by signed and verified", async (t) => {
      const { trust, meta } = await open(t);
      await publish(meta, 'team', 'plain');
      await publish(meta, 'team', 'signed', 'e'.repeat(64));
      await publish(meta, 'team', 'verified', 'f'.repeat(64));
      // a verification of the same digest in another repository does not count here
      await trust.recordVerification('other', 'e'.repeat(64), {
        signer: 'X',
        fingerprint: '01',
        verifiedAt: T0,
      });
      await trust.recordVerification('team', 'f'.repeat(64), {
        signer: 'Signer',
        fingerprint: '02',
        verifiedAt: T0,
      });
      const query = { prerelease: false, deprecated: true, offset: 0, limit: 10, repository: 'team' };
      const all = await meta.searchCharts(query);
      assert.deepEqual(
        all.hits.map((h) => [
          h.latest.name,
          h.provenance.signed,
          h.provenance.verified,
          h.provenance.fingerprint,
        ]),
        [
          ['plain', false, false, null],
          ['signed', true, false, null],
          ['verified', true, true, '02'],
        ],
      );
      const signed = await meta.searchCharts({ ...query, signature: 'signed' });
      assert.deepEqual([signed.total, signed.hits.map((h) => h.latest.name)], [2, ['signed', 'verified']]);
      const verified = await meta.searchCharts({ ...query, signature: 'verified', text: 'verif' });
      assert.deepEqual([verified.total, verified.hits.map((h) => h.latest.name)], [1, ['verified']]);
      assert.equal(verified.hits[0]?.provenance.signer, 'Signer');
    });
  });
}
