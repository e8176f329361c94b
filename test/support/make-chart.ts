import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import tar from 'tar-stream';

export interface TarEntry {
  name: string;
  body?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'fifo';
  linkname?: string;
  /** a size to declare in the header, for lying archives */
  size?: number;
}

/** Packs raw tar entries (no gzip): the building block for good and malicious fixtures. */
export async function packTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const body = entry.body === undefined ? undefined : Buffer.from(entry.body);
    await new Promise<void>((resolve, reject) => {
      const header = {
        name: entry.name,
        type,
        linkname: entry.linkname,
        size: entry.size ?? body?.length ?? 0,
      };
      const callback = (err?: Error | null) => (err ? reject(err) : resolve());
      pack.entry(header, type === 'file' ? (body ?? '') : '', callback);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export interface ChartOptions {
  name?: string;
  version?: string;
  /** merged into the generated Chart.yaml */
  chart?: Record<string, unknown>;
  /** replaces the generated Chart.yaml text */
  chartYaml?: string;
  values?: string;
  readme?: string;
  /** more files, relative to the chart directory */
  files?: Record<string, string>;
  /** the top-level directory name (defaults to the chart name) */
  dir?: string;
}

/** A valid chart package (.tgz) built in memory, or a variant of one. */
export async function makeChart(options: ChartOptions = {}): Promise<Buffer> {
  const name = options.name ?? 'mychart';
  const version = options.version ?? '0.1.0';
  const dir = options.dir ?? name;
  const chartYaml =
    options.chartYaml ??
    yaml.dump({
      apiVersion: 'v2',
      name,
      version,
      description: `The ${name} chart`,
      type: 'application',
      ...options.chart,
    });
  const entries: TarEntry[] = [
    { name: `${dir}/Chart.yaml`, body: chartYaml },
    { name: `${dir}/values.yaml`, body: options.values ?? 'replicaCount: 1\n' },
    {
      name: `${dir}/templates/configmap.yaml`,
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: test\n',
    },
  ];
  if (options.readme !== undefined) entries.push({ name: `${dir}/README.md`, body: options.readme });
  for (const [file, body] of Object.entries(options.files ?? {}))
    entries.push({ name: `${dir}/${file}`, body });
  return gzipSync(await packTar(entries));
}

export async function gzipTar(entries: TarEntry[]): Promise<Buffer> {
  return gzipSync(await packTar(entries));
}
