import yaml from 'js-yaml';
import { compareVersionsDesc } from '../../src/charts/versions.js';
import {
  type ChartVersionEntry,
  toEntry,
  type UrlOptions,
  type VersionRecord,
} from '../../src/repo-index/entry.js';
import { chartHeader, DUMP_OPTIONS, dumpEntries } from '../../src/repo-index/yaml-fragments.js';

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
  return createIndexRenderer().render(records, opts).body.toString('utf8');
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

/** A byte range of a rendered document and what decides its bytes (equal keys, equal bytes). */
export interface IndexPiece {
  key: string;
  start: number;
  end: number;
}

/** index.yaml as bytes, cut into pieces: the head, one piece per chart, the tail. */
export interface RenderedDocument {
  body: Buffer;
  pieces: IndexPiece[];
}

interface ChartMemo {
  signature: string;
  start: number;
  end: number;
  /** each version's fragment, relative to start */
  versions: Map<string, { start: number; end: number }>;
}

/**
 * An incremental renderer for one repository: the same bytes as `yaml.dump(buildIndex(...))`,
 * without dumping what did not change since its last render. The document is assembled from
 * fragments that js-yaml renders on its own: each chart's block (`  <name>:` and its versions) and,
 * inside it, each version's entry, which is `yaml.dump([entry])` indented by four spaces (js-yaml
 * lays out a nested block exactly as at the top level, shifted; it leaves empty lines of block
 * scalars unindented, and so does this). A chart whose versions are unchanged (same name, version,
 * digest and created: what decides an entry) is copied from the previous body; a changed chart
 * reuses the fragments of its unchanged versions. Only the previous body is kept: the memo is
 * offsets into it.
 */
export function createIndexRenderer() {
  let urlKey = '';
  let previous = Buffer.alloc(0);
  let charts = new Map<string, ChartMemo>();

  function renderChart(name: string, rows: VersionRecord[], opts: RenderOptions) {
    const old = charts.get(name);
    const sorted =
      rows.length > 1 ? [...rows].sort((a, b) => compareVersionsDesc(a.version, b.version)) : rows;
    const keys = sorted.map(versionKey);
    const reused = keys.map((key) => {
      const memo = old?.versions.get(key);
      return (
        memo && previous.subarray((old as ChartMemo).start + memo.start, (old as ChartMemo).start + memo.end)
      );
    });
    // the versions not rendered before, in one js-yaml call
    const fresh = dumpEntries(sorted.filter((_, i) => !reused[i]).map((row) => toEntry(row, opts)));
    const parts: Buffer[] = [chartHeader(name)];
    const versions = new Map<string, { start: number; end: number }>();
    let offset = parts[0]?.length ?? 0;
    let next = 0;
    keys.forEach((key, i) => {
      const fragment = reused[i] ?? (fresh[next++] as Buffer);
      versions.set(key, { start: offset, end: offset + fragment.length });
      offset += fragment.length;
      parts.push(fragment);
    });
    return { parts, versions };
  }

  return {
    render(records: VersionRecord[], opts: RenderOptions): RenderedDocument {
      const urls = JSON.stringify([opts.chartUrl, opts.contextPath, opts.repository]);
      if (urls !== urlKey) {
        urlKey = urls;
        charts = new Map();
      }
      const byName = new Map<string, VersionRecord[]>();
      for (const record of records) {
        const list = byName.get(record.name);
        if (list) list.push(record);
        else byName.set(record.name, [record]);
      }
      const names = [...byName.keys()].sort();
      const head = names.length > 0 ? 'apiVersion: v1\nentries:\n' : 'apiVersion: v1\nentries: {}\n';
      const tail = yaml.dump(
        { generated: opts.generated, serverInfo: opts.contextPath ? { contextPath: opts.contextPath } : {} },
        DUMP_OPTIONS,
      );

      const buffers: Buffer[] = [Buffer.from(head, 'utf8')];
      const pieces: IndexPiece[] = [{ key: `head\n${head}`, start: 0, end: head.length }];
      const next = new Map<string, ChartMemo>();
      let offset = head.length;
      for (const name of names) {
        const rows = byName.get(name) as VersionRecord[];
        // also the piece's key: the same string decides the memo here and the gzip memo of the cache
        const signature = `chart\n${urls}\n${name}\n${rows.map(versionKey).join('\n')}`;
        const old = charts.get(name);
        let versions: ChartMemo['versions'];
        let length: number;
        if (old && old.signature === signature) {
          buffers.push(previous.subarray(old.start, old.end));
          versions = old.versions;
          length = old.end - old.start;
        } else {
          const rendered = renderChart(name, rows, opts);
          buffers.push(...rendered.parts);
          versions = rendered.versions;
          length = rendered.parts.reduce((sum, part) => sum + part.length, 0);
        }
        next.set(name, { signature, start: offset, end: offset + length, versions });
        pieces.push({ key: signature, start: offset, end: offset + length });
        offset += length;
      }
      const tailBytes = Buffer.from(tail, 'utf8');
      buffers.push(tailBytes);
      pieces.push({ key: `tail\n${tail}`, start: offset, end: offset + tailBytes.length });

      const body = Buffer.concat(buffers, offset + tailBytes.length);
      previous = body;
      charts = next;
      return { body, pieces };
    },
  };
}

export type IndexRenderer = ReturnType<typeof createIndexRenderer>;

/** What decides a version's entry: the row is rewritten (new created) whenever its package changes. */
function versionKey(record: VersionRecord): string {
  return `${record.digest} ${record.created} ${record.name} ${record.version}`;
}
