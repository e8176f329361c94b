import yaml from 'js-yaml';
import { sortVersionsDesc } from '../charts/versions.js';
import { type ChartVersionEntry, toEntry, type VersionRecord } from '../repo-index/entry.js';
import { DUMP_OPTIONS } from '../repo-index/yaml-fragments.js';

/**
 * index.yaml of an exported repository: the entries the server serves (the same whitelisted
 * Chart.yaml keys, versions newest first, keys sorted), with URLs `charts/<file>` relative to the
 * index, or under `baseUrl`. Only the keys Helm's strict decoder knows are written.
 */
export function renderStaticIndex(
  records: VersionRecord[],
  baseUrl: string | undefined,
  generated: string,
): string {
  const urls = { chartUrl: baseUrl ?? '', contextPath: '', repository: '' };
  const byName = new Map<string, VersionRecord[]>();
  for (const record of records) byName.set(record.name, [...(byName.get(record.name) ?? []), record]);
  const entries: Record<string, ChartVersionEntry[]> = {};
  for (const [name, versions] of byName) {
    entries[name] = sortVersionsDesc(versions, (r) => r.version).map((r) => toEntry(r, urls));
  }
  return yaml.dump({ apiVersion: 'v1', entries, generated }, DUMP_OPTIONS);
}
