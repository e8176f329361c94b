import { isRegistryError, RegistryError } from '../errors.js';

/**
 * Failures that mean "there is no room to store this" rather than "this request is wrong": the
 * disk or the quota of the blob directory (ENOSPC, EDQUOT), SQLite's database or WAL that cannot
 * grow (SQLITE_FULL), and PostgreSQL's disk_full (SQLSTATE 53100).
 */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

export function isStorageFull(err: unknown): boolean {
  for (let at = err, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return true;
  }
  return false;
}

/**
 * The error a client should see: a full disk or quota becomes STORAGE_FULL (507) with a message a
 * person can act on, and the original (its path, its errno) as the cause, for the log only.
 * Nothing of the failed request is visible: blobs are renamed in whole or not at all, and rows go
 * in one transaction; a blob committed before its row failed is an orphan `gc` reclaims.
 */
export function asStorageFull(err: unknown): unknown {
  if (isRegistryError(err, 'STORAGE_FULL') || !isStorageFull(err)) return err;
  const full = new RegistryError(
    'STORAGE_FULL',
    'the server has no space left to store this upload, and kept nothing of it; what is already stored is still served. Push again once space has been freed',
  );
  return Object.assign(full, { cause: err });
}
