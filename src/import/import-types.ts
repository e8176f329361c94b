/**
 * What an import moves: candidates, listed by a source (a Helm repository, a directory, an OCI
 * repository), each published through a target (the stores opened here, or a running server).
 */

/** A chart package and its provenance file, as bytes checked against what their source states. */
export interface ChartFiles {
  chart: Buffer;
  prov?: Buffer;
}

/** One version a source holds, not yet downloaded. */
export interface Candidate {
  /** where it comes from, for the summary: a URL, a file, an OCI reference */
  label: string;
  /** the Charthouse repository it goes into */
  repository: string;
  /** known before downloading (an index entry, an OCI tag); else read from the package */
  name?: string;
  version?: string;
  /**
   * The package's sha256 as the source states it, without downloading the package (an index
   * entry's digest, an OCI manifest's layer): lets a re-run skip what it already holds.
   */
  statedDigest?(): Promise<string | undefined>;
  /** Downloads the package and its provenance file; throws SourceError (digest mismatch…). */
  fetch(): Promise<ChartFiles>;
}

export interface ImportSource {
  /** a line for people: `Helm repository https://…`, `directory ./charts` */
  description: string;
  /** Every version the source holds; throws SourceError when it cannot be listed at all. */
  list(): Promise<Candidate[]>;
  close(): void;
}

export interface StoredVersion {
  /** lowercase hex sha256 of the stored package */
  digest: string;
}

/**
 * Where versions go. `publish` takes the normal upload path of that target, so a package is
 * validated and refused exactly as a push would be (the refusal's message is the reason shown).
 */
export interface ImportTarget {
  description: string;
  stored(repository: string, name: string, version: string): Promise<StoredVersion | undefined>;
  /**
   * True when `publish` reads the package itself and refuses one that is not `expect` (with the
   * SourceError of nameMismatch): the importer then need not read it first.
   */
  readsPackages: boolean;
  /** Resolves once the version is durably stored; rejects with the reason the target refused it. */
  publish(
    repository: string,
    files: ChartFiles,
    options: { overwrite: boolean; expect: { name: string; version: string } },
  ): Promise<void>;
  close(): Promise<void>;
}

/** A target refused a version because it exists (a concurrent import): the caller looks again. */
export class VersionExists extends Error {}

/** The target refused a version: the reason is its own message (the server's `{"error"}`). */
export class TargetRefusal extends Error {}

/** Nothing more can be imported (the target is unreachable or refuses our credentials): stop. */
export class ImportAborted extends Error {}
