import type { Verification } from './verify-provenance.js';

/** What the API, search and UI show about a version's provenance. */
export interface ProvenanceView {
  signed: boolean;
  verified: boolean;
  /** the signing key's user id, when verified */
  signer: string | null;
  /** the signing key's full fingerprint, when verified */
  fingerprint: string | null;
  verifiedAt?: string;
}

export const UNSIGNED: ProvenanceView = { signed: false, verified: false, signer: null, fingerprint: null };

export function provenanceView(signed: boolean, verification: Verification | undefined): ProvenanceView {
  if (!signed) return UNSIGNED;
  if (!verification) return { signed, verified: false, signer: null, fingerprint: null };
  return { signed, verified: true, ...verification };
}
