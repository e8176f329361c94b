import { isRegistryError } from '../errors.js';
import { describeRepository } from '../repositories.js';
import type { BlobStore } from '../store/blob-store.js';
import type { MetadataStore } from '../store/metadata-store.js';
import type { TrustStore } from '../store/trust-store.js';
import { verifyProvenance } from './verify-provenance.js';

export interface SignatureFailure {
  repository: string;
  name: string;
  version: string;
  reason: string;
}

export interface SignatureReport {
  clean: boolean;
  /** provenance files read */
  checked: number;
  verified: number;
  failures: SignatureFailure[];
}

/**
 * `charthouse check --signatures`: every stored provenance file verified again against the keys
 * its repository trusts now (after a key was removed, or added), and its record updated: a file
 * that verifies is recorded with its signer, one that fails loses its record. Chart versions
 * without a provenance file are not failures: policies apply at upload.
 */
export async function checkSignatures(deps: {
  meta: MetadataStore;
  blobs: BlobStore;
  trust: TrustStore;
}): Promise<SignatureReport> {
  const { meta, blobs, trust } = deps;
  const report: SignatureReport = { clean: true, checked: 0, verified: 0, failures: [] };
  for (const { path: repository } of await meta.listRepositories()) {
    const keys = await trust.keysFor(repository);
    for (const version of await meta.listVersions(repository)) {
      const prov = await meta.getProvenance(repository, version.name, version.version);
      if (!prov) continue;
      report.checked++;
      const fail = (reason: string) =>
        report.failures.push({ repository, name: version.name, version: version.version, reason });
      const stream = await blobs.open(prov.digest);
      if (!stream) {
        fail(`the provenance file's blob ${prov.digest} is missing`);
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      try {
        const target = { metadata: version.metadata, digest: version.digest };
        const where = describeRepository(repository);
        const verification = await verifyProvenance(
          Buffer.concat(chunks).toString('utf8'),
          keys,
          target,
          where,
        );
        await trust.recordVerification(repository, prov.digest, verification);
        report.verified++;
      } catch (err) {
        if (!isRegistryError(err, 'PROVENANCE_UNVERIFIED')) throw err;
        await trust.recordVerification(repository, prov.digest, undefined);
        fail(err.message);
      }
    }
  }
  report.clean = report.failures.length === 0;
  return report;
}

export function formatSignatureReport(report: SignatureReport): string {
  const lines = [`${report.checked} provenance files checked, ${report.verified} verified`];
  for (const f of report.failures) {
    lines.push(`unverified: ${f.name} ${f.version} in ${describeRepository(f.repository)}: ${f.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
