import { InvalidValue, parseDuration } from '../config/config-values.js';
import { RegistryError } from '../errors.js';
import type { RetentionRule } from './repository-settings.js';

/** Far above any real need; keeps a typo of many digits from reading as "keep everything". */
const MAX_COUNT = 100_000;

const invalid = (message: string) => new RegistryError('SETTING_INVALID', message);

function count(raw: unknown, option: string, min: number): number {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d+$/.test(text) || Number(text) < min || Number(text) > MAX_COUNT) {
    throw invalid(`${option} must be a whole number from ${min} to ${MAX_COUNT}, not ${JSON.stringify(raw)}`);
  }
  return Number(text);
}

/**
 * A retention rule from the CLI's options or the admin API's body (`keepLast`, `keepPrereleases`,
 * `maxAge` such as `90d`). `keepLast` is required and at least 1: a rule never removes every
 * release of a chart.
 */
export function readRetentionRule(input: {
  keepLast?: unknown;
  keepPrereleases?: unknown;
  maxAge?: unknown;
}): RetentionRule {
  if (input.keepLast === undefined) throw invalid('a retention rule needs --keep-last N (N ≥ 1)');
  const rule: RetentionRule = { keepLast: count(input.keepLast, '--keep-last', 1) };
  if (input.keepPrereleases !== undefined) {
    rule.keepPrereleases = count(input.keepPrereleases, '--keep-prereleases', 0);
  }
  if (input.maxAge !== undefined) {
    let ms: number;
    try {
      if (typeof input.maxAge !== 'string') throw new InvalidValue('is not a duration');
      ms = parseDuration(input.maxAge);
    } catch (err) {
      if (!(err instanceof InvalidValue)) throw err;
      throw invalid(
        `--max-age must be a duration such as 90d, 12h or 30m, not ${JSON.stringify(input.maxAge)}`,
      );
    }
    if (ms < 1) throw invalid('--max-age must be longer than zero');
    rule.maxAgeMs = ms;
  }
  return rule;
}

/** `keep the 5 highest releases and 2 highest prereleases of each chart; others once older than 90d` */
export function describeRetention(rule: RetentionRule): string {
  const pre = rule.keepPrereleases ?? rule.keepLast;
  const age = rule.maxAgeMs === undefined ? 'at once' : `once older than ${formatAge(rule.maxAgeMs)}`;
  return `keep the ${rule.keepLast} highest releases and ${pre} highest prereleases of each chart; others go ${age}`;
}

export function formatAge(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
