/** Media types of the OCI image spec and of Helm charts (helm/helm pkg/registry/constants.go). */
export const mediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  helmLegacyChart: 'application/tar+gzip',
  helmProvenance: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
} as const;

/** The manifest media types a PUT may carry, and whether each is a single manifest or an index. */
export const manifestKinds: Readonly<Record<string, 'manifest' | 'index'>> = {
  [mediaTypes.ociManifest]: 'manifest',
  [mediaTypes.dockerManifest]: 'manifest',
  [mediaTypes.ociIndex]: 'index',
  [mediaTypes.dockerManifestList]: 'index',
};

/** A chart layer, current or legacy (Helm pulls both). */
export function isChartLayer(mediaType: string): boolean {
  return mediaType === mediaTypes.helmChart || mediaType === mediaTypes.helmLegacyChart;
}
