import type { Readable } from 'node:stream';
import yaml from 'js-yaml';
import { RegistryError } from '../errors.js';
import { type ArchiveLimits, readChartArchive } from './archive.js';
import { type ChartMetadata, parseChartYaml } from './metadata.js';
import { assertBounded } from './yaml-safe.js';

export interface LoadedChart {
  metadata: ChartMetadata;
  values?: string;
  readme?: string;
}

/** Reads and validates a chart package; every problem becomes CHART_INVALID with the reason. */
export async function loadChart(source: Readable, limits: ArchiveLimits): Promise<LoadedChart> {
  try {
    const archive = await readChartArchive(source, limits);
    const metadata = parseChartYaml(archive.chartYaml);
    if (archive.valuesYaml !== undefined) checkValues(archive.valuesYaml);
    return { metadata, values: archive.valuesYaml, readme: archive.readme };
  } catch (err) {
    if (err instanceof RegistryError) throw err;
    throw new RegistryError('CHART_INVALID', err instanceof Error ? err.message : String(err));
  }
}

/** values.yaml may be large, but not as an alias bomb (Helm's YAML decoder refuses those too). */
const VALUES_NODE_BUDGET = 1_000_000;

function checkValues(text: string): void {
  let doc: unknown;
  try {
    doc = yaml.load(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`values.yaml is not valid YAML: ${reason}`);
  }
  assertBounded(doc, 'values.yaml', VALUES_NODE_BUDGET);
}
