import { createHash } from 'node:crypto';

/**
 * Remembers, for a short time, that a password matched a stored hash, so `helm repo update`
 * bursts do not pay for scrypt on every request. The key is sha256(stored hash + ':' + password):
 * the password itself is never kept, and because the caller reads the stored hash from the store on
 * every request (remembered there only until a write: src/store/read-memo.ts), a changed password or
 * a removed user stops matching at once, or within 100 ms when changed by another process.
 */
export interface VerifiedPasswords {
  has(storedHash: string, password: string): boolean;
  remember(storedHash: string, password: string): void;
}

export function createVerifiedPasswords({
  ttlMs = 60_000,
  maxEntries = 1000,
  now = Date.now,
}: {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
} = {}): VerifiedPasswords {
  const expiries = new Map<string, number>();
  const keyOf = (storedHash: string, password: string) =>
    createHash('sha256').update(`${storedHash}:${password}`).digest('hex');

  return {
    has(storedHash, password) {
      const key = keyOf(storedHash, password);
      const expires = expiries.get(key);
      if (expires === undefined) return false;
      if (expires > now()) return true;
      expiries.delete(key);
      return false;
    },
    remember(storedHash, password) {
      const key = keyOf(storedHash, password);
      expiries.delete(key);
      expiries.set(key, now() + ttlMs);
      if (expiries.size > maxEntries) {
        const oldest = expiries.keys().next().value;
        if (oldest !== undefined) expiries.delete(oldest);
      }
    },
  };
}
