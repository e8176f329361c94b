/**
 * The real engines of this test run (started once by scripts/run-tests.mjs, see scripts/engines.mjs):
 * each call hands out a fresh PostgreSQL database or a fresh S3 bucket, so suites never share state.
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run tests through \`node scripts/run-tests.mjs\`, which starts the engines`,
    );
  }
  return value;
}

const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;

/** The URL of the cluster's `postgres` database (superuser, trust auth). */
export const postgresAdminUrl = () => required('CHARTHOUSE_TEST_POSTGRES');

/** Creates an empty database and returns its URL. */
export async function freshDatabase(): Promise<string> {
  const admin = postgresAdminUrl();
  const name = unique('t_');
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export const testS3 = (): TestS3 => JSON.parse(required('CHARTHOUSE_TEST_S3')) as TestS3;

/** The S3 settings as the AWS variables a Charthouse child process reads. */
export function s3Env(): Record<string, string> {
  const s3 = testS3();
  return {
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_REGION: s3.region,
  };
}

export function testS3Client(): S3Client {
  const s3 = testS3();
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

/** Creates an empty bucket and returns its name. */
export async function freshBucket(): Promise<string> {
  const name = unique('t-');
  const client = testS3Client();
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
  return name;
}
