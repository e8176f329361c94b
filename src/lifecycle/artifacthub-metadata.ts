import yaml from 'js-yaml';
import { loadFailsafe, type YamlValue } from '../charts/yaml-safe.js';
import { RegistryError } from '../errors.js';
import type { ArtifactHubMetadata } from './repository-settings.js';

/** artifacthub-repo.yml is a few lines; this leaves room for long owner and ignore lists. */
export const MAX_ARTIFACTHUB_FILE = 64 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const fields = ['repositoryID', 'owners', 'ignore'];

const invalid = (problem: string) =>
  new RegistryError('SETTING_INVALID', `artifacthub-repo.yml is not valid: ${problem}`);

/**
 * Reads artifacthub-repo.yml as Artifact Hub documents it (artifacthub/hub
 * docs/metadata/artifacthub-repo.yml): `repositoryID` (a UUID), `owners` (each with an `email`
 * and optionally a `name`) and `ignore` (each with a `name` and optionally a `version` regex).
 * Anything else is refused, so a typo never silently drops a claim.
 */
export function parseArtifactHubFile(text: string): ArtifactHubMetadata {
  if (Buffer.byteLength(text) > MAX_ARTIFACTHUB_FILE) {
    throw invalid(`it is larger than ${MAX_ARTIFACTHUB_FILE} bytes`);
  }
  let doc: YamlValue;
  try {
    doc = loadFailsafe(text, 'the file');
  } catch (err) {
    throw invalid((err as Error).message.replace(/^the file is not valid YAML: /, 'it is not YAML: '));
  }
  return checkArtifactHub(doc);
}

/** The same checks on a value already parsed (the admin API's JSON body). */
export function checkArtifactHub(doc: unknown): ArtifactHubMetadata {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw invalid('it must be a mapping with repositoryID, owners or ignore');
  }
  const record = doc as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !fields.includes(key));
  if (unknown !== undefined) {
    throw invalid(`unknown field "${unknown}" (the fields are ${fields.join(', ')})`);
  }
  const metadata: ArtifactHubMetadata = {};
  const { repositoryID, owners, ignore } = record;
  if (repositoryID !== undefined && repositoryID !== null) {
    if (typeof repositoryID !== 'string' || !UUID.test(repositoryID)) {
      throw invalid(`repositoryID must be the UUID Artifact Hub shows, not ${JSON.stringify(repositoryID)}`);
    }
    metadata.repositoryID = repositoryID.toLowerCase();
  }
  if (owners !== undefined && owners !== null) metadata.owners = listOf(owners, 'owners', readOwner);
  if (ignore !== undefined && ignore !== null) metadata.ignore = listOf(ignore, 'ignore', readIgnore);
  if (Object.keys(metadata).length === 0) {
    throw invalid('it sets none of repositoryID, owners, ignore (use --clear to remove the metadata)');
  }
  return metadata;
}

function listOf<T>(
  value: unknown,
  field: string,
  read: (entry: Record<string, unknown>, at: string) => T,
): T[] {
  if (!Array.isArray(value)) throw invalid(`${field} must be a list`);
  return value.map((entry, i) => {
    const at = `${field}[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw invalid(`${at} must be a mapping`);
    }
    return read(entry as Record<string, unknown>, at);
  });
}

function readOwner(entry: Record<string, unknown>, at: string): { name?: string; email: string } {
  onlyKeys(entry, at, ['name', 'email']);
  const { name, email } = entry;
  if (typeof email !== 'string' || !EMAIL.test(email)) throw invalid(`${at}.email must be an email address`);
  if (name !== undefined && name !== null && typeof name !== 'string') {
    throw invalid(`${at}.name must be text`);
  }
  return typeof name === 'string' && name !== '' ? { name, email } : { email };
}

function readIgnore(entry: Record<string, unknown>, at: string): { name: string; version?: string } {
  onlyKeys(entry, at, ['name', 'version']);
  const { name, version } = entry;
  if (typeof name !== 'string' || name === '') throw invalid(`${at}.name must be a chart name`);
  if (version === undefined || version === null) return { name };
  if (typeof version !== 'string') throw invalid(`${at}.version must be a regular expression`);
  try {
    new RegExp(version);
  } catch (err) {
    throw invalid(`${at}.version is not a valid regular expression: ${(err as Error).message}`);
  }
  return { name, version };
}

function onlyKeys(entry: Record<string, unknown>, at: string, keys: string[]): void {
  const extra = Object.keys(entry).find((key) => !keys.includes(key));
  if (extra !== undefined)
    throw invalid(`${at} has an unknown field "${extra}" (expected ${keys.join(', ')})`);
}

/** The file as served: the stored fields in Artifact Hub's order, the same bytes every time. */
export function renderArtifactHubFile(metadata: ArtifactHubMetadata): string {
  const ordered: ArtifactHubMetadata = {
    ...(metadata.repositoryID !== undefined && { repositoryID: metadata.repositoryID }),
    ...(metadata.owners && { owners: metadata.owners }),
    ...(metadata.ignore && { ignore: metadata.ignore }),
  };
  return yaml.dump(ordered, { lineWidth: -1, noRefs: true, quotingType: '"' });
}
