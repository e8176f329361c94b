import { maskTokens } from './auth/tokens.js';
import type { Config } from './config/config.js';

/**
 * The server's pino options. Credentials headers are redacted by path; a token can also arrive
 * where no path reaches (a user name, a query string, an error message), so every finished line
 * passes through `maskTokens` before it is written: one `includes` per line when there is none.
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>) {
  return {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    hooks: { streamWrite: maskTokens },
  };
}
