import { type ParseArgsConfig, parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { type AnyConfigOption, configOptions } from './config-options.js';
import { ConfigError } from './config-values.js';

/** A value as written, and where: the source goes into error messages. */
export interface RawValue {
  raw: string;
  /** '' for the command line, else ` (from CHARTHOUSE_PORT)` or ` (from <file>)` */
  source: string;
}

export type RawValues = Map<AnyConfigOption, RawValue>;

const byFlag = new Map<string, AnyConfigOption>(configOptions.map((option) => [option.flag, option]));
const byKey = new Map<string, AnyConfigOption>(configOptions.map((option) => [option.key, option]));

/** The table as `util.parseArgs` options: a boolean flag never takes the next argument. */
const argsOptions: ParseArgsConfig['options'] = Object.fromEntries(
  configOptions.map((option) => [option.flag, { type: option.boolean ? 'boolean' : 'string' }]),
);

/**
 * `--flag value`, `--flag=value`, a boolean `--flag` alone (or `--flag=false`). Later flags win.
 * parseArgs runs unstrict and hands back its tokens, so that each mistake gets our own one-line
 * message: an unknown or one-dash option (with a near miss suggested), a forgotten value, a
 * stray argument.
 */
export function readArgv(argv: readonly string[]): RawValues {
  const found: RawValues = new Map();
  const { tokens } = parseArgs({
    args: [...argv],
    options: argsOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    const arg = argv[token.index] ?? '';
    if (token.kind !== 'option') throw new ConfigError(`unexpected argument ${JSON.stringify(arg)}`);
    const written = arg.split('=', 1)[0] ?? arg;
    const option = token.rawName.startsWith('--') ? byFlag.get(token.name) : undefined;
    if (!option) {
      throw new ConfigError(`unknown option ${written}${suggest(written.replace(/^--?/, ''), '--')}`);
    }
    let raw = token.value;
    // A flag right after a flag that needs a value is a forgotten value, not the value.
    if (!token.inlineValue && (raw === undefined || raw.startsWith('--'))) {
      if (!option.boolean) throw new ConfigError(`missing value for --${option.flag}`);
      raw = 'true';
    }
    found.set(option, { raw: raw ?? 'true', source: '' });
  }
  return found;
}

/**
 * Only the table's variables are read: other CHARTHOUSE_* variables are ignored, because
 * Kubernetes injects CHARTHOUSE_SERVICE_HOST and the like into pods next to a Service of that name.
 */
export function readEnv(env: Record<string, string | undefined>): RawValues {
  const found: RawValues = new Map();
  for (const option of configOptions) {
    const raw = env[option.env];
    if (raw !== undefined) found.set(option, { raw, source: ` (from ${option.env})` });
  }
  return found;
}

/** A YAML mapping whose keys are flag names (`max-upload-size`) or Config keys (`maxUploadSize`). */
export function readConfigFile(path: string, readFile: (path: string) => string): RawValues {
  const source = ` (from ${path})`;
  const found: RawValues = new Map();
  for (const [key, value] of Object.entries(loadYamlMapping(path, readFile))) {
    const option = byFlag.get(key) ?? byKey.get(key);
    // A file naming another file would make the precedence order ambiguous.
    if (!option || option.key === 'config') {
      throw new ConfigError(`unknown key "${key}" in config file ${path}${suggest(key, '')}`);
    }
    if (found.has(option))
      throw new ConfigError(`option --${option.flag} is set twice in config file ${path}`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigError(
        `invalid value for --${option.flag}${source}: must be a string, number or boolean`,
      );
    }
    found.set(option, { raw: String(value), source });
  }
  return found;
}

function loadYamlMapping(path: string, readFile: (path: string) => string): object {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') {
      throw new ConfigError(`config file not found: ${path}`);
    }
    throw new ConfigError(
      `cannot read config file ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  let doc: unknown;
  try {
    // The core schema: no timestamps or other types that no option takes.
    doc = yaml.load(text, { filename: path, schema: yaml.CORE_SCHEMA });
  } catch (err) {
    const reason =
      err instanceof yaml.YAMLException ? `${err.reason} at line ${err.mark.line + 1}` : String(err);
    throw new ConfigError(`config file ${path} is not valid YAML: ${reason}`);
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(`config file ${path} must be a mapping of option names to values`);
  }
  return doc;
}

/** ` (did you mean --port?)` for a near miss of a flag name (or a camelCase key), else ''. */
function suggest(name: string, prefix: '--' | ''): string {
  const kebab = name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  let best = '';
  let bestDistance = 3;
  for (const flag of byFlag.keys()) {
    if (prefix === '' && flag === 'config') continue;
    const distance = editDistance(kebab, flag);
    if (distance < bestDistance) [best, bestDistance] = [flag, distance];
  }
  return best ? ` (did you mean ${prefix}${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
