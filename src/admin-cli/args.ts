import { ConfigError } from '../config/config.js';

/**
 * Throws a usage error naming the first missing or extra positional; `optional` ones may be left
 * out from the end.
 */
export function checkPositionals(
  usage: string,
  positionals: readonly string[],
  required: readonly string[],
  optional: readonly string[] = [],
): void {
  if (positionals.length < required.length) {
    throw new ConfigError(`missing ${required[positionals.length]}: charthouse ${usage}`);
  }
  if (positionals.length > required.length + optional.length) {
    throw new ConfigError(
      `unexpected argument ${JSON.stringify(positionals[required.length + optional.length])}: charthouse ${usage}`,
    );
  }
}
