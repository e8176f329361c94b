/** Package and provenance file names, as Helm and ChartMuseum build them. */
export function chartFilename(name: string, version: string): string {
  return `${name}-${version}.tgz`;
}

export function provFilename(name: string, version: string): string {
  return `${chartFilename(name, version)}.prov`;
}
