import { isRegistryError, RegistryError } from '../errors.js';

/**
 * PostgreSQL failures that mean "the database cannot be reached right now" rather than "this
 * request is wrong": SQLSTATE class 08 (connection exception), the server shutting down or
 * starting up (57P01-57P03), too many connections (53300), and node-postgres's own messages for a
 * connection lost mid-query or not obtained in time.
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|53300)$/;
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

export function isDatabaseOutage(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_STATES.test(code) || NETWORK_CODES.has(code))) return true;
  // A reset of the database's own socket ("read ECONNRESET") names its syscall; a client that
  // aborts its upload also yields ECONNRESET, but from the request stream, without one.
  if (code === 'ECONNRESET' && typeof (err as { syscall?: unknown }).syscall === 'string') return true;
  return UNAVAILABLE_MESSAGES.test(err.message);
}

/**
 * The error a client should see: an outage of a backing store becomes STORE_UNAVAILABLE (503, try
 * again) with a message a person understands; anything else is returned unchanged.
 */
export function asUnavailable(err: unknown): unknown {
  if (isRegistryError(err, 'STORE_UNAVAILABLE') || !isDatabaseOutage(err)) return err;
  return new RegistryError('STORE_UNAVAILABLE', 'the database is unavailable; try again shortly');
}
