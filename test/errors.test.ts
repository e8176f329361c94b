import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { errorCodes } from '../src/errors.js';
import { httpStatusByCode } from '../src/routes/error-handler.js';

async function readmeErrorRows(): Promise<Map<string, number>> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const rows = new Map<string, number>();
  for (const match of readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)) {
    rows.set(match[1] ?? '', Number(match[2]));
  }
  return rows;
}

test('the README lists every error code with the status the error handler gives it', async () => {
  const documented = await readmeErrorRows();
  const expected = new Map(
    Object.keys(errorCodes).map((code) => [code, httpStatusByCode[code as keyof typeof errorCodes]]),
  );
  assert.deepEqual(documented, expected);
});

test('every error code but an unavailable or full store has a status in the 4xx range and a default message', () => {
  for (const [code, message] of Object.entries(errorCodes)) {
    const status = httpStatusByCode[code as keyof typeof errorCodes];
    // the one server-side code: a store that cannot be reached, so a load balancer retries elsewhere
    if (code === 'STORE_UNAVAILABLE') assert.equal(status, 503);
    // no room to store an upload: the server's condition, not the request's, and not a bug either
    else if (code === 'STORAGE_FULL') assert.equal(status, 507);
    // a proxy repository's upstream failed or served a tampered package: a bad gateway
    else if (code === 'UPSTREAM_FAILED') assert.equal(status, 502);
    else assert.ok(status >= 400 && status < 500, `${code} maps to ${status}`);
    // the issue fixes these two bodies word for word: {"error":"unauthorized"}, {"error":"forbidden"}
    if (code === 'UNAUTHORIZED' || code === 'FORBIDDEN') assert.equal(message, code.toLowerCase());
    else assert.ok(message.length > 10, `${code} has no useful default message`);
  }
});
