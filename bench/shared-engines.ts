import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { type PostgresCluster, startCeph, startPostgres } from '../scripts/engines.mjs';
import { createS3Client } from '../src/store/s3-client.js';

/**
 * The engines a PostgreSQL + Ceph row runs on, started once per bench run on this machine and
 * stopped at its end. PostgreSQL keeps its durable defaults (fsync and synchronous_commit on), as
 * SQLite's synchronous=FULL does for the SQLite rows, so both pay for a durable commit. Ceph RGW runs
 * on a memstore OSD: its PUTs and GETs cost RGW's request handling, not a disk.
 */
export interface BenchEngines {
  postgres: PostgresCluster;
  s3: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  /** what the server needs to reach the bucket: the standard AWS variables */
  s3Env: Record<string, string>;
  s3Client(): S3Client;
  /** a new empty database on the cluster; its URL */
  createDatabase(name: string): Promise<string>;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchEngines(): Promise<BenchEngines> {
  const [postgres, ceph] = await Promise.allSettled([startPostgres({ durable: true }), startCeph()]);
  if (postgres.status === 'rejected' || ceph.status === 'rejected') {
    await Promise.all([postgres, ceph].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    const failed = postgres.status === 'rejected' ? postgres : (ceph as PromiseRejectedResult);
    throw failed.reason;
  }
  const cluster = postgres.value;
  const s3 = ceph.value;
  const s3Client = () =>
    createS3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  return {
    postgres: cluster,
    s3: {
      endpoint: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    },
    s3Env: {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: s3.region,
    },
    s3Client,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      const url = new URL(cluster.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async createBucket(name) {
      const client = s3Client();
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        client.destroy();
      }
    },
    async stop() {
      await Promise.all([cluster.stop(), s3.stop()]);
    },
  };
}
