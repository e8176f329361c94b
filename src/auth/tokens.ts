import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens are 32 random bytes behind a recognisable prefix (so secret scanners and people can
 * tell one apart from a password). Only the sha256 of a token is stored: a token has full
 * entropy, so a fast hash is enough, and lookups are a single indexed query.
 */
export const TOKEN_PREFIX = 'cht_';

export function generateToken(): { secret: string; hash: string } {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashToken(secret) };
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeToken(value: string): boolean {
  return value.startsWith(TOKEN_PREFIX) && value.length === TOKEN_PREFIX.length + 43;
}

// The prefix and enough of the alphabet to be a token or a piece of one: a piece still narrows a
// guess, so the log masks it too. Chart names never hold `cht_` followed by eight such characters.
const TOKEN_SHAPED = /cht_[A-Za-z0-9_-]{8,}/g;

/** `text` with anything shaped like a token (or a long piece of one) replaced by `cht_[redacted]`. */
export function maskTokens(text: string): string {
  return text.includes(TOKEN_PREFIX) ? text.replace(TOKEN_SHAPED, `${TOKEN_PREFIX}[redacted]`) : text;
}
