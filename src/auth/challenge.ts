import type { FastifyReply } from 'fastify';
import { isRegistryError, RegistryError } from '../errors.js';
import { TooManyLogins } from './authenticate.js';
import type { Decision } from './policy.js';

/** The challenge Helm, curl and every OCI client answer with Basic credentials. */
export const BASIC_CHALLENGE = 'Basic realm="Charthouse"';

/**
 * Puts the headers an authentication failure needs on the answer (the challenge on a 401,
 * Retry-After on a throttled login) and rethrows it for the surface's own error envelope.
 */
export function rethrowWithAuthHeaders(err: unknown, reply: FastifyReply): never {
  if (isRegistryError(err, 'UNAUTHORIZED')) reply.header('www-authenticate', BASIC_CHALLENGE);
  if (err instanceof TooManyLogins) reply.header('retry-after', String(err.retryAfterSeconds));
  throw err;
}

/**
 * Throws the error a refusing decision stands for; `hidden` is what the surface answers for a
 * repository that does not exist, so a hidden one looks exactly the same.
 */
export function enforceDecision(decision: Decision, reply: FastifyReply, hidden: () => Error): void {
  if (decision === 'allow') return;
  if (decision === 'challenge') rethrowWithAuthHeaders(new RegistryError('UNAUTHORIZED'), reply);
  if (decision === 'forbid') throw new RegistryError('FORBIDDEN');
  throw hidden();
}
