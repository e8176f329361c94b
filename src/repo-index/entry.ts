import { chartFilename } from '../charts/filename.js';
import type { ChartMetadata } from '../charts/metadata.js';

/** A stored chart version as the index and the JSON API describe it. */
export interface VersionRecord {
  name: string;
  version: string;
  digest: string;
  size: number;
  created: string;
  metadata: ChartMetadata;
}

export interface UrlOptions {
  /** absolute URL prefix (`--chart-url`), empty for relative URLs */
  chartUrl: string;
  contextPath: string;
  repository: string;
}

export type ChartVersionEntry = ChartMetadata & { urls: string[]; created: string; digest: string };

export function chartUrl(name: string, version: string, opts: UrlOptions): string {
  const file = chartFilename(name, version);
  if (!opts.chartUrl) return `charts/${file}`;
  const repo = opts.repository ? `/${opts.repository}` : '';
  return `${opts.chartUrl}${opts.contextPath}${repo}/charts/${file}`;
}

/** The index entry: the whitelisted Chart.yaml fields plus urls, created and digest. */
export function toEntry(record: VersionRecord, opts: UrlOptions): ChartVersionEntry {
  return {
    ...record.metadata,
    urls: [chartUrl(record.name, record.version, opts)],
    created: record.created,
    digest: record.digest,
  };
}
