import { readCleartextMessage, readKey, verify } from 'openpgp';
import { chartFilename } from '../charts/filename.js';
import type { ChartMetadata } from '../charts/metadata.js';
import { parseProvenance } from '../charts/provenance.js';
import { isMap, loadFailsafe, type YamlValue } from '../charts/yaml-safe.js';
import { RegistryError } from '../errors.js';
import { reason, type TrustedKey } from './keys.js';

/** Who signed a provenance file that verified, and when the server checked it. */
export interface Verification {
  /** the signing key's primary user id */
  signer: string;
  /** the signing key's full fingerprint (the primary key's, lowercase hex) */
  fingerprint: string;
  verifiedAt: string;
}

/** The chart a provenance file must sign: its Chart.yaml fields and its package's sha256. */
export interface SignedTarget {
  metadata: ChartMetadata;
  /** hex sha256 of the package */
  digest: string;
}

/**
 * Checks a provenance file the way `helm verify` does, and a little more: the clear-signed text
 * verifies against one of `keys`; its Chart.yaml says what the package's own Chart.yaml says; its
 * `files:` gives the package's sha256 under the package's file name (these two only with a
 * `target`: a provenance file may arrive before its chart). Throws PROVENANCE_UNVERIFIED
 * with the first reason it fails, written for the person who signed the chart.
 */
export async function verifyProvenance(
  text: string,
  keys: readonly TrustedKey[],
  target: SignedTarget | undefined,
  where: string,
): Promise<Verification> {
  if (keys.length === 0)
    throw unverified(`no signing key is trusted in ${where}: add one with "charthouse key add"`);
  let message: Awaited<ReturnType<typeof readCleartextMessage>>;
  try {
    message = await readCleartextMessage({ cleartextMessage: text.replace(/^\uFEFF/, '') });
  } catch (err) {
    throw unverified(`the provenance file's signature cannot be read (${reason(err)})`);
  }
  // one key per stored row: concatenated armor blocks would be read as the first one only
  const verificationKeys = await Promise.all(keys.map((k) => readKey({ armoredKey: k.armored })));
  const { signatures } = await verify({ message, verificationKeys });
  if (signatures.length === 0) throw unverified('the provenance file carries no signature');
  const signerOf = (sig: (typeof signatures)[number]) =>
    verificationKeys.find((key) => key.getKeys(sig.keyID).length > 0);
  // a file may carry several signatures: the first one by a trusted key decides
  const signature = signatures.find((sig) => signerOf(sig) !== undefined);
  const signer = signature && signerOf(signature);
  if (!signature || !signer) {
    const ids = signatures.map((sig) => sig.keyID.toHex()).join(', ');
    throw unverified(`the provenance file is signed by key ${ids}, which is not trusted in ${where}`);
  }
  const keyId = signature.keyID.toHex();
  try {
    await signature.verified;
  } catch (err) {
    throw unverified(`the provenance file's signature by key ${keyId} is not valid: ${reason(err)}`);
  }
  if (target) checkSignedText(message.getText(), target);
  const fingerprint = signer.getFingerprint().toLowerCase();
  const stored = keys.find((k) => k.fingerprint === fingerprint);
  return { signer: stored?.userId ?? '', fingerprint, verifiedAt: new Date().toISOString() };
}

/** Fields of Chart.yaml compared between the signed text and the package (Helm marshals its Metadata). */
const COMPARED = [
  'apiVersion',
  'name',
  'version',
  'appVersion',
  'description',
  'type',
  'kubeVersion',
  'home',
  'icon',
] as const;

function checkSignedText(signedText: string, target: SignedTarget): void {
  const { metadata, digest } = target;
  let files: Record<string, string>;
  try {
    // the verified text, re-wrapped so the layout parser reads exactly what was signed
    files = parseProvenance(wrapped(signedText)).files;
  } catch (err) {
    throw unverified(`the signed text is not a provenance file: ${reason(err)}`);
  }
  const [chartPart = ''] = signedText.replace(/\r\n/g, '\n').split(/^\.\.\.$/m);
  const signed = loadFailsafe(chartPart, 'the provenance file');
  if (!isMap(signed)) throw unverified('the signed text holds no Chart.yaml');
  for (const field of COMPARED) {
    const inProv = scalar(signed[field]);
    const inChart = metadata[field] === undefined ? '' : String(metadata[field]).trim();
    if (inProv !== inChart) {
      throw unverified(
        `the signed Chart.yaml does not match the package's: ${field} is ${JSON.stringify(inProv)} in the provenance file and ${JSON.stringify(inChart)} in the package`,
      );
    }
  }
  for (const field of ['keywords', 'sources'] as const) {
    const inProv = list(signed[field]);
    const inChart = (metadata[field] ?? []).join('\n');
    if (inProv !== inChart)
      throw unverified(`the signed Chart.yaml does not match the package's: ${field} differ`);
  }
  if ((scalar(signed.deprecated) === 'true') !== (metadata.deprecated === true))
    throw unverified(`the signed Chart.yaml does not match the package's: deprecated differs`);
  const file = chartFilename(metadata.name, metadata.version);
  if (files[file] === undefined) throw unverified(`the provenance file signs no sha256 for ${file}`);
  if (files[file] !== digest)
    throw unverified(`the provenance file signs another package than ${file} (sha256 differs)`);
}

function scalar(value: YamlValue | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}

function list(value: YamlValue | undefined): string {
  return Array.isArray(value) ? value.map((v) => scalar(v)).join('\n') : '';
}

function wrapped(text: string): string {
  return `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${text}\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n`;
}

function unverified(message: string): RegistryError {
  return new RegistryError('PROVENANCE_UNVERIFIED', message);
}
