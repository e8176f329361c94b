import { RegistryError } from '../errors.js';
import { describeRepository } from '../repositories.js';
import type { MetadataStore } from '../store/metadata-store.js';
import type { SignaturePolicy, TrustStore } from '../store/trust-store.js';
import { type ProvenanceView, provenanceView, UNSIGNED } from './provenance-view.js';
import { type SignedTarget, type Verification, verifyProvenance } from './verify-provenance.js';

/**
 * Signature policy at publish time, shared by the HTTP upload and the OCI push: what a repository
 * accepts, and the verification of a provenance file about to be stored. No HTTP here.
 */
export function createSignatures(deps: { trust: TrustStore; meta: MetadataStore }) {
  const { trust, meta } = deps;

  return {
    policy: (repository: string): Promise<SignaturePolicy> => trust.getPolicy(repository),

    /** Refuses a chart that comes without a provenance file where the policy is `require`. */
    requireSigned(policy: SignaturePolicy): void {
      if (policy === 'require')
        throw new RegistryError('SIGNATURE_REQUIRED', 'this repository accepts signed charts only');
    },

    /**
     * Verifies a provenance file about to be published against the repository's keys and the
     * chart it signs (`target`; without it, the chart is looked up as stored). A file that verifies
     * is recorded under its blob digest before the caller publishes it, so a stored, verified file
     * never lacks its record. Under `off` a failure only leaves the file unverified; under `verify`
     * and `require` it throws PROVENANCE_UNVERIFIED with the reason.
     */
    async check(
      repository: string,
      policy: SignaturePolicy,
      provenance: { text: string; digest: string; name: string; version: string },
      target: SignedTarget | undefined,
    ): Promise<Verification | undefined> {
      const chart = target ?? (await storedTarget(repository, provenance.name, provenance.version));
      try {
        const keys = await trust.keysFor(repository);
        const where = describeRepository(repository);
        const verification = await verifyProvenance(provenance.text, keys, chart, where);
        // without its chart only the signature was checked: the file stays unverified until a check
        if (!chart) return undefined;
        await trust.recordVerification(repository, provenance.digest, verification);
        return verification;
      } catch (err) {
        if (policy === 'off' && err instanceof RegistryError && err.code === 'PROVENANCE_UNVERIFIED')
          return undefined;
        throw err;
      }
    },

    /**
     * The view of a stored version's provenance file, known by its digest (none: unsigned). A
     * verification is recorded without a new revision (a key added later, `charthouse check`),
     * so it is read every time.
     */
    view,
  };

  async function view(repository: string, digest: string | undefined): Promise<ProvenanceView> {
    if (digest === undefined) return UNSIGNED;
    return provenanceView(true, await trust.getVerification(repository, digest));
  }

  async function storedTarget(
    repository: string,
    name: string,
    version: string,
  ): Promise<SignedTarget | undefined> {
    const stored = await meta.getVersion(repository, name, version);
    return stored && { metadata: stored.metadata, digest: stored.digest };
  }
}

export type Signatures = ReturnType<typeof createSignatures>;
