import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';

export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
}

export interface ChartDirOptions {
  name: string;
  version: string;
  appVersion?: string;
  description?: string;
  dependencies?: ChartDependency[];
  /** values.yaml text */
  values?: string;
  /** README.md text (defaults to a heading with the chart name) */
  readme?: string;
}

const defaultValues = 'replicaCount: 1\nimage:\n  repository: nginx\n';

/** Writes an unpacked chart `<parent>/<name>/` for the real Helm CLI to package; returns its path. */
export async function writeChartDir(parent: string, opts: ChartDirOptions): Promise<string> {
  const dir = join(parent, opts.name);
  await mkdir(join(dir, 'templates'), { recursive: true });
  const chart: Record<string, unknown> = {
    apiVersion: 'v2',
    name: opts.name,
    version: opts.version,
    type: 'application',
  };
  if (opts.description !== undefined) chart.description = opts.description;
  if (opts.appVersion !== undefined) chart.appVersion = opts.appVersion;
  if (opts.dependencies !== undefined) chart.dependencies = opts.dependencies;
  // js-yaml quotes strings such as '1.10' that would otherwise read back as numbers
  await writeFile(join(dir, 'Chart.yaml'), yaml.dump(chart));
  await writeFile(join(dir, 'values.yaml'), opts.values ?? defaultValues);
  await writeFile(join(dir, 'README.md'), opts.readme ?? `# ${opts.name}\n`);
  await writeFile(
    join(dir, 'templates', 'configmap.yaml'),
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: {{ .Release.Name }}-${opts.name}`,
      'data:',
      '  replicas: "{{ .Values.replicaCount }}"',
      '',
    ].join('\n'),
  );
  return dir;
}
