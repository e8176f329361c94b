import { archiveCases } from './corpus-archives.js';
import { ociCases } from './corpus-oci.js';
import { requestCases } from './corpus-requests.js';
import type { Answer } from './raw-http.js';

/**
 * The hostile corpus: requests an attacker (or a broken client) sends, each with the one answer it
 * must get. The runner (hostile.test.ts) checks that each answer is exactly that, that nothing was
 * written, and that the server still serves.
 */
export interface HostileCase {
  /** what is hostile about the request: the test's name */
  name: string;
  send: (port: number) => Promise<Answer>;
  status: number;
  /** matched against the error message (`{"error"}`, OCI `CODE: message`, or Node's reason phrase) */
  error: RegExp;
}

export const corpus: HostileCase[] = [...archiveCases, ...requestCases, ...ociCases];
