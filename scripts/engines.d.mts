// Types of scripts/engines.mjs for the TypeScript tests that start an engine of their own.

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth) */
  url: string;
  dir: string;
  data: string;
  /** a fast shutdown that keeps the data */
  halt(): Promise<string>;
  /** starts the halted cluster again, on the same port and options */
  start(): Promise<string>;
  /** stops the cluster and removes its directory */
  stop(): Promise<void>;
}

/**
 * A fresh PostgreSQL 15 cluster in a temporary directory on a free loopback port; without
 * `durable`, fsync, synchronous_commit and full_page_writes are off (tests).
 */
export function startPostgres(options?: { durable?: boolean }): Promise<PostgresCluster>;

export function startCeph(): Promise<{
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
  stop(): Promise<void>;
}>;

export function startEngines(): Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
