/**
 * Counts failed logins per client address in a sliding window. Once an address has failed
 * `maxFailures` times within `windowMs`, its next attempts are refused unverified until the oldest
 * failure leaves the window, so guessing passwords costs an attacker time and us no scrypt work.
 * Memory is bounded: beyond `maxAddresses`, the address seen longest ago is forgotten.
 */
export interface LoginLimiter {
  /** Seconds until this address may try again; 0 when it may try now. */
  retryAfterSeconds(address: string): number;
  recordFailure(address: string): void;
}

export interface LoginLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  maxAddresses?: number;
  now?: () => number;
}

export function createLoginLimiter({
  maxFailures = 10,
  windowMs = 60_000,
  maxAddresses = 10_000,
  now = Date.now,
}: LoginLimiterOptions = {}): LoginLimiter {
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
    retryAfterSeconds(address) {
      const times = recent(address);
      if (times.length < maxFailures) return 0;
      const oldest = times[times.length - maxFailures] ?? now();
      return Math.max(1, Math.ceil((oldest + windowMs - now()) / 1000));
    },
    recordFailure(address) {
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
