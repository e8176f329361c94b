/**
 * Counts failed logins per client address in a sliding window. Once an address has failed
 * `maxFailures` times within `windowMs`, its next attempts are refused unverified until the oldest
 * failure leaves the window, so guessing passwords costs an attacker time and us no scrypt work.
 * Async so that replicas can share one count (pg-login-limiter.ts).
 */
export interface LoginLimiter {
  /** Seconds until this address may try again; 0 when it may try now. */
  retryAfterSeconds(address: string): Promise<number>;
  /** Counts one failure of this address now; failures older than the window are dropped. */
  recordFailure(address: string): Promise<void>;
}

export interface LoginLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export const DEFAULT_MAX_FAILURES = 10;
export const DEFAULT_WINDOW_MS = 60_000;

/** Seconds until the `maxFailures`-th most recent failure leaves the window; 0 below that count. */
export function waitAfter(
  newestFirst: number[],
  { maxFailures, windowMs, now }: Required<LoginLimiterOptions>,
) {
  if (newestFirst.length < maxFailures) return 0;
  const oldest = newestFirst[maxFailures - 1] ?? now();
  return Math.max(1, Math.ceil((oldest + windowMs - now()) / 1000));
}

/**
 * The limiter of a single process (SQLite runs one). Memory is bounded: beyond `maxAddresses`,
 * the address seen longest ago is forgotten.
 */
export function createLoginLimiter({
  maxFailures = DEFAULT_MAX_FAILURES,
  windowMs = DEFAULT_WINDOW_MS,
  maxAddresses = 10_000,
  now = Date.now,
}: LoginLimiterOptions & { maxAddresses?: number } = {}): LoginLimiter {
  // Map order is insertion order: re-inserting on each failure keeps the stalest address first.
  const failures = new Map<string, number[]>();

  const recent = (address: string): number[] => {
    const since = now() - windowMs;
    const times = (failures.get(address) ?? []).filter((time) => time > since);
    if (times.length === 0) failures.delete(address);
    else failures.set(address, times);
    return times;
  };

  return {
    async retryAfterSeconds(address) {
      return waitAfter(recent(address).toReversed(), { maxFailures, windowMs, now });
    },
    async recordFailure(address) {
      const times = recent(address);
      times.push(now());
      failures.delete(address);
      failures.set(address, times.slice(-maxFailures));
      if (failures.size > maxAddresses) {
        const stalest = failures.keys().next().value;
        if (stalest !== undefined) failures.delete(stalest);
      }
    },
  };
}
