import { readFileSync } from 'node:fs';
import { type AnyConfigOption, configOptions, type OptionValues } from './config-options.js';
import { readArgv, readConfigFile, readEnv } from './config-sources.js';
import { ConfigError, InvalidValue } from './config-values.js';

export { type AnyConfigOption, type ConfigOption, configOptions } from './config-options.js';
export { ConfigError } from './config-values.js';

/**
 * The server's configuration: one frozen object built by loadConfig, with a field for each option
 * of the table (config-options.ts), typed by what that option's parser returns.
 */
export type Config = Omit<OptionValues, 'config'>;

function assign(values: Partial<OptionValues>, option: AnyConfigOption, raw: string): void {
  // `key` and `parse` come from the same table entry, which the compiler cannot follow through a union.
  (values as Record<string, unknown>)[option.key] = option.parse(raw);
}

// The table's defaults go through the same parsers as any value, so they are written only once.
const defaults: Partial<OptionValues> = {};
for (const option of configOptions) assign(defaults, option, option.default);

function toConfig(values: Partial<OptionValues>): Config {
  const { config: _file, ...rest } = values;
  // Every key is present: `values` starts from the defaults, and the table covers Config (tested).
  return Object.freeze(rest as Config);
}

export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return toConfig({ ...defaults, ...overrides });
}

/**
 * Builds the Config from, lowest first: the table's defaults, the YAML file named by `--config`
 * or CHARTHOUSE_CONFIG, the environment, and `argv` (the arguments after the command name).
 * Throws ConfigError, with one line naming the option, for anything it cannot use.
 */
export function loadConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Config {
  const fromArgv = readArgv(argv);
  const fromEnv = readEnv(env);
  const configOption = configOptions.find((option) => option.key === 'config');
  const file = configOption && (fromArgv.get(configOption) ?? fromEnv.get(configOption))?.raw.trim();
  const fromFile = file ? readConfigFile(file, readFile) : new Map();

  const values: Partial<OptionValues> = { ...defaults };
  for (const option of configOptions) {
    const given = fromArgv.get(option) ?? fromEnv.get(option) ?? fromFile.get(option);
    if (!given) continue;
    try {
      assign(values, option, given.raw);
    } catch (err) {
      if (!(err instanceof InvalidValue)) throw err;
      throw new ConfigError(
        `invalid value for --${option.flag}${given.source}: ${JSON.stringify(given.raw)} ${err.message}`,
      );
    }
  }
  const config = toConfig(values);
  if (config.chartPostFormFieldName === config.provPostFormFieldName) {
    throw new ConfigError(
      `invalid value for --prov-post-form-field-name: "${config.provPostFormFieldName}" is also the chart field name`,
    );
  }
  return config;
}
