/**
 * An OCI repository as a source: `oci://host/path` names one chart's repository (its tags are the
 * versions, `_` standing for `+`), or a namespace whose repositories `path/<chart>` the catalog
 * lists, as `helm push <chart> oci://host/path` lays them out. Each tag's manifest gives the chart
 * layer and, where Helm pushed one, the provenance layer.
 */
import { isChartLayer, mediaTypes } from '../oci/media-types.js';
import { isTag, versionOfTag } from '../oci/reference.js';
import type { Candidate, ImportSource } from './import-types.js';
import type { OciClient, OciDescriptor } from './oci-client.js';
import { SourceError } from './source-error.js';

export interface OciSourceOptions {
  /** `oci://host/path` */
  reference: string;
  repository: string;
  client: OciClient;
  close(): void;
  maxPackageBytes: number;
}

const MAX_PROV_BYTES = 1024 * 1024;
/** the distribution spec's repository name grammar: nothing a registry lists may steer our paths */
const OCI_NAME = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;

/** host and path of `oci://host[:port]/path`; SourceError for anything else. */
export function parseOciReference(reference: string): { host: string; path: string } {
  const match = /^oci:\/\/([^/]+)\/(.+?)\/*$/.exec(reference);
  if (!match?.[1] || !match[2]) {
    throw new SourceError('invalid', `${reference} is not an OCI repository: expected oci://host/path`);
  }
  return { host: match[1], path: match[2] };
}

export function createOciSource(options: OciSourceOptions): ImportSource {
  const { client } = options;
  const { host, path } = parseOciReference(options.reference);

  function candidate(repository: string, tag: string): Candidate {
    const name = repository.slice(repository.lastIndexOf('/') + 1);
    const label = `oci://${host}/${repository}:${tag}`;
    let layers: Promise<{ chart: OciDescriptor; prov?: OciDescriptor }> | undefined;
    const chartLayers = () => {
      layers ??= client.manifest(repository, tag).then((manifest) => {
        const chart = manifest.layers?.find((layer) => isChartLayer(layer.mediaType));
        if (manifest.config?.mediaType !== mediaTypes.helmConfig || !chart) {
          throw new SourceError('invalid', `${label} is not a Helm chart (no Helm config and chart layer)`);
        }
        const prov = manifest.layers?.find((layer) => layer.mediaType === mediaTypes.helmProvenance);
        return { chart, prov };
      });
      return layers;
    };
    return {
      label,
      repository: options.repository,
      name,
      version: versionOfTag(tag),
      statedDigest: async () => (await chartLayers()).chart.digest,
      async fetch() {
        const { chart, prov } = await chartLayers();
        const what = `${name} ${versionOfTag(tag)}`;
        const chartFile = await client.blob(repository, chart.digest, options.maxPackageBytes, what);
        const provFile =
          prov &&
          (await client.blob(repository, prov.digest, MAX_PROV_BYTES, `the provenance file of ${what}`));
        return { chart: chartFile.bytes, prov: provFile?.bytes };
      },
    };
  }

  /** The tags of `path`, or of every repository under it when `path` itself holds none. */
  async function repositories(): Promise<Array<{ repository: string; tags: string[] }>> {
    try {
      return [{ repository: path, tags: await client.listTags(path) }];
    } catch (err) {
      if (!(err instanceof SourceError && err.kind === 'not-found')) throw err;
    }
    const under = (await client.listRepositories().catch(() => [])).filter(
      (r) => r.startsWith(`${path}/`) && OCI_NAME.test(r),
    );
    if (under.length === 0) throw new SourceError('not-found', `no repository ${path} at ${client.base}`);
    const out = [];
    for (const repository of under) out.push({ repository, tags: await client.listTags(repository) });
    return out;
  }

  return {
    description: `OCI ${options.reference}`,
    async list() {
      const found = await repositories();
      // a tag outside the spec's grammar (`../x`) would put another path into our requests
      return found.flatMap(({ repository, tags }) =>
        tags.filter((tag) => isTag(tag)).map((tag) => candidate(repository, tag)),
      );
    },
    close: options.close,
  };
}
