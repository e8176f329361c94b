import yaml from 'js-yaml';
import { compareVersionsDesc } from '../charts/versions.js';
import { type ChartVersionEntry, toEntry, type UrlOptions, type VersionRecord } from './entry.js';

export interface RenderOptions extends UrlOptions {
  /** RFC 3339 time written as `generated` */
  generated: string;
}

/**
 * Renders index.yaml. Helm reads it with a strict YAML decoder, so only the keys Helm knows are
 * written: apiVersion, entries, generated, serverInfo. Keys are sorted at every level, charts
 * alphabetically and versions newest first, so the same rows always give the same bytes.
 */
export function renderIndex(records: VersionRecord[], opts: RenderOptions): string {
  return yaml.dump(buildIndex(records, opts), { sortKeys: true, lineWidth: -1, noRefs: true });
}

export function buildIndex(records: VersionRecord[], opts: RenderOptions) {
  const entries: Record<string, ChartVersionEntry[]> = {};
  const sorted = [...records].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : compareVersionsDesc(a.version, b.version),
  );
  for (const record of sorted) {
    const list = entries[record.name] ?? [];
    list.push(toEntry(record, opts));
    entries[record.name] = list;
  }
  return {
    apiVersion: 'v1',
    entries,
    generated: opts.generated,
    serverInfo: opts.contextPath ? { contextPath: opts.contextPath } : {},
  };
}
