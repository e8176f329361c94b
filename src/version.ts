import { readFileSync } from 'node:fs';

/** The version in package.json, read once: the same file ships beside dist/ and src/. */
export const packageVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
