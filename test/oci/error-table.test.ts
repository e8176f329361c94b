import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ociErrorCodes } from '../../src/oci/errors.js';
import { ociWireErrors } from '../../src/routes/oci-error-handler.js';

const SPEC_CODES = new Set([
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UPLOAD_UNKNOWN',
  'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'SIZE_INVALID',
  'UNAUTHORIZED',
  'DENIED',
  'UNSUPPORTED',
  'TOOMANYREQUESTS',
  // distribution's code for a bad `n`, outside the spec's list
  'PAGINATION_NUMBER_INVALID',
]);

async function readmeOciRows(): Promise<Set<string>> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## OCI registry');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return new Set([...section.matchAll(/^\| (\d{3}) \| `([A-Z_]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`));
}

test('the README lists every status and spec code the OCI error table gives', async () => {
  const table = new Set(Object.values(ociWireErrors).map((w) => `${w.status} ${w.code}`));
  assert.deepEqual(await readmeOciRows(), table);
});

test('every OCI error answers with a spec code, a 4xx status and a default message', () => {
  for (const [code, wire] of Object.entries(ociWireErrors)) {
    assert.ok(SPEC_CODES.has(wire.code), `${code} goes out as ${wire.code}, which the spec does not define`);
    assert.ok(wire.status >= 400 && wire.status < 500, `${code} maps to ${wire.status}`);
    assert.ok(ociErrorCodes[code as keyof typeof ociErrorCodes].length > 10, `${code} has no useful message`);
  }
});
