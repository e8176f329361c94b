/** What an Authorization header offers, before anything is verified. */
export type Credentials =
  | { kind: 'basic'; user: string; secret: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'malformed'; reason: string };

/** Reads `Basic base64(user:secret)` or `Bearer <token>`; undefined when there is no header. */
export function readCredentials(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  const scheme = match?.[1]?.toLowerCase();
  const value = match?.[2] ?? '';
  if (scheme === 'bearer') return { kind: 'bearer', token: value };
  if (scheme !== 'basic') return { kind: 'malformed', reason: 'unsupported authorization scheme' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'malformed', reason: 'invalid base64' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return { kind: 'malformed', reason: 'no user name before ":"' };
  return { kind: 'basic', user: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
