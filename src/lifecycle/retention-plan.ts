import { compareVersionsDesc, isPrerelease } from '../charts/versions.js';
import type { RetentionRule } from './repository-settings.js';

export interface RetentionCandidate {
  name: string;
  version: string;
  /** ISO time the version was pushed */
  created: string;
}

/**
 * The versions a rule removes, per chart name (as ChartMuseum's --per-chart-limit counts):
 * releases and prereleases are ranked apart, each by SemVer precedence, highest first.
 *
 * A version is KEPT when any of these holds:
 * - it is among the `keepLast` highest releases of its chart;
 * - it is among the `keepPrereleases` highest prereleases (`keepLast` when unset);
 * - `maxAgeMs` is set and it was pushed less than `maxAgeMs` ago.
 * Everything else goes. So the newest releases survive however old they are, and --max-age only
 * delays the removal of the rest: nothing younger than it is ever removed.
 */
export function planRetention<T extends RetentionCandidate>(
  versions: readonly T[],
  rule: RetentionRule,
  now: number,
): T[] {
  const byChart = new Map<string, T[]>();
  for (const v of versions) byChart.set(v.name, [...(byChart.get(v.name) ?? []), v]);
  const removed: T[] = [];
  for (const own of byChart.values()) {
    const ranked = [...own].sort((a, b) => compareVersionsDesc(a.version, b.version));
    const releases = ranked.filter((v) => !isPrerelease(v.version));
    const prereleases = ranked.filter((v) => isPrerelease(v.version));
    const beyond = [
      ...releases.slice(rule.keepLast),
      ...prereleases.slice(rule.keepPrereleases ?? rule.keepLast),
    ];
    removed.push(...beyond.filter((v) => !isYoung(v, rule, now)));
  }
  return removed.sort((a, b) => compare(a.name, b.name) || compareVersionsDesc(a.version, b.version));
}

function isYoung(version: RetentionCandidate, rule: RetentionRule, now: number): boolean {
  if (rule.maxAgeMs === undefined) return false;
  const created = Date.parse(version.created);
  return Number.isNaN(created) || now - created < rule.maxAgeMs;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
