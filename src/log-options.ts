import pretty from 'pino-pretty';
import { maskTokens } from './auth/tokens.js';
import type { Config } from './config/config.js';

/** Whether `--log-format auto` writes for people: true when stdout is a terminal. */
export function prettyLogs(config: Pick<Config, 'logFormat'>, terminal: boolean): boolean {
  return config.logFormat === 'pretty' || (config.logFormat === 'auto' && terminal);
}

/**
 * The server's pino options. Credentials headers are redacted by path; a token can also arrive
 * where no path reaches (a user name, a query string, an error message), so every finished line
 * passes through `maskTokens` before it is written: one `includes` per line when there is none.
 * Pretty lines come from pino-pretty as a stream in this thread (not a transport's worker), fed the
 * masked JSON line like any other destination.
 */
export function loggerOptions(
  config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>,
  { terminal = false }: { terminal?: boolean } = {},
) {
  const options = {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    hooks: { streamWrite: maskTokens },
  };
  if (!prettyLogs({ logFormat: config.logFormat ?? 'json' }, terminal)) return options;
  const stream = pretty({
    colorize: terminal,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    sync: true,
  });
  return { ...options, stream };
}
