/**
 * What a user name, password, token name, expiry, role, visibility and repository path must be
 * before they reach the auth store. Each check throws a RegistryError whose message says what was
 * wrong and what is accepted, so the CLI and the admin API can show it as is.
 */
import { InvalidValue, parseDuration } from '../config/config-values.js';
import { RegistryError } from '../errors.js';
import { checkRepository } from '../repositories.js';
import type { Role, Visibility } from './auth-store.js';
import { roles } from './auth-store.js';
import { passwordProblem } from './passwords.js';

// Lowercase so that "Alice" and "alice" cannot be two people; no ":" since Basic auth splits on it.
const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const visibilities: readonly Visibility[] = ['public', 'private'];

export function checkUserName(name: string): string {
  if (!USER_NAME.test(name)) {
    throw new RegistryError(
      'USER_INVALID',
      `user name ${JSON.stringify(name)} is not valid: 1 to 64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  return name;
}

export function checkPassword(password: string): string {
  const problem = passwordProblem(password);
  if (problem) throw new RegistryError('USER_INVALID', problem);
  return password;
}

export function checkTokenName(name: string): string {
  if (!TOKEN_NAME.test(name)) {
    throw new RegistryError(
      'TOKEN_INVALID',
      `token name ${JSON.stringify(name)} is not valid: 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  return name;
}

export const checkRole = (role: string): Role => oneOf('role', roles, role);

export const checkVisibility = (visibility: string): Visibility =>
  oneOf('visibility', visibilities, visibility);

function oneOf<T extends string>(what: string, allowed: readonly T[], value: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (!found) {
    throw new RegistryError(
      'PERMISSION_INVALID',
      `${what} ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`,
    );
  }
  return found;
}

/** A repository path as people write it: `/` (or nothing) is the root repository, slashes around are ignored. */
export function normaliseRepositoryPath(path: string): string {
  return checkRepository(path.replace(/^\/+|\/+$/g, ''));
}

export interface Expiry {
  /** a duration from now: `30d`, `12h` (parseDuration; a bare number is seconds) */
  expiresIn?: string;
  /** an ISO 8601 date or time: `2027-01-31`, `2027-01-31T12:00:00Z` */
  expires?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO syntax, and a day that exists: Date.parse turns 2027-02-31 into March 3rd. */
function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The expiry time as ISO text, or undefined for a token that never expires. Must lie in the future. */
export function resolveExpiry(expiry: Expiry, now: Date): string | undefined {
  if (expiry.expiresIn !== undefined && expiry.expires !== undefined) {
    throw new RegistryError('TOKEN_INVALID', 'give either an expiry duration or an expiry date, not both');
  }
  let when: number;
  if (expiry.expiresIn !== undefined) {
    let ms: number;
    try {
      ms = parseDuration(expiry.expiresIn);
    } catch (err) {
      if (!(err instanceof InvalidValue)) throw err;
      throw new RegistryError('TOKEN_INVALID', `expiry ${JSON.stringify(expiry.expiresIn)} ${err.message}`);
    }
    when = now.getTime() + ms;
  } else if (expiry.expires !== undefined) {
    when = isCalendarDate(expiry.expires) ? Date.parse(expiry.expires) : Number.NaN;
    if (Number.isNaN(when)) {
      throw new RegistryError(
        'TOKEN_INVALID',
        `expiry date ${JSON.stringify(expiry.expires)} is not an ISO date or time such as 2027-01-31 or 2027-01-31T12:00:00Z`,
      );
    }
  } else {
    return undefined;
  }
  if (!Number.isFinite(when) || when > 8.64e15)
    throw new RegistryError('TOKEN_INVALID', 'the expiry is too far away');
  if (when <= now.getTime()) throw new RegistryError('TOKEN_INVALID', 'the expiry must lie in the future');
  return new Date(when).toISOString();
}
