/**
 * What the S3 stores share: the `s3://bucket/prefix` address, the client, and the one place that
 * decides which S3 failures mean "the store cannot be reached" (STORE_UNAVAILABLE, 503) rather
 * than a fault of ours.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { RegistryError } from '../errors.js';

export { parseBlobStoreUrl, type S3Location } from './s3-location.js';

export interface S3ClientOptions {
  /** e.g. `http://127.0.0.1:7480` for Ceph RGW or MinIO; empty for AWS */
  endpoint?: string;
  /** empty: the SDK's chain (AWS_REGION, the profile) */
  region?: string;
  /** `<endpoint>/<bucket>` addressing, which Ceph and MinIO need */
  forcePathStyle?: boolean;
  /** empty: the SDK's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile, instance role) */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** attempts per call, retries included (SDK default 3) */
  maxAttempts?: number;
  /** ms to establish a connection before the call fails (default 5000) */
  connectionTimeout?: number;
  /**
   * ms a socket may stay idle before the call fails (default 120000). It also bounds how long a
   * download may stall behind a slow reader, so keep it generous.
   */
  socketTimeout?: number;
}

export function createS3Client(options: S3ClientOptions = {}): S3Client {
  // The SDK is pinned to a release that supports Node 20 (docs/decisions.md); its notice that
  // later releases will not would otherwise open every start-up log with a multi-line warning.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    // Checksums only where S3 requires them: older stores (Ceph Pacific, some MinIO) reject or
    // mishandle the CRC headers newer SDKs send by default.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectionTimeout ?? 5_000,
      socketTimeout: options.socketTimeout ?? 120_000,
    },
  });
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

const statusOf = (err: unknown) => (err as SdkError | undefined)?.$metadata?.httpStatusCode;

/** The key (or object) does not exist. */
export const isS3NotFound = (err: unknown) =>
  statusOf(err) === 404 || ['NoSuchKey', 'NotFound', 'NoSuchUpload'].includes((err as SdkError)?.name ?? '');

/** A conditional request (If-None-Match: *) found the key taken. */
export const isS3PreconditionFailed = (err: unknown) =>
  statusOf(err) === 412 || (err as SdkError)?.name === 'PreconditionFailed';

function isUnavailable(err: unknown): boolean {
  const e = err as SdkError | undefined;
  if (!e || typeof e !== 'object') return false;
  const status = statusOf(e) ?? 0;
  return (
    // 501 Not Implemented is an answer (a feature this store lacks), not an outage
    (status >= 500 && status !== 501) ||
    NETWORK_CODES.has(e.code ?? '') ||
    e.name === 'TimeoutError' ||
    e.name === 'RequestTimeout'
  );
}

/** Rethrows a failure that means the store cannot be reached as STORE_UNAVAILABLE; others unchanged. */
export function rethrowS3(err: unknown): never {
  if (isUnavailable(err)) {
    const why = (err as SdkError).code ?? (err as SdkError).name ?? 'error';
    const status = statusOf(err);
    const detail = status ? `${why} (HTTP ${status})` : why;
    throw Object.assign(new RegistryError('STORE_UNAVAILABLE', `the blob store is unavailable: ${detail}`), {
      cause: err,
    });
  }
  throw err;
}

/** Awaits an S3 call, translating unreachability (see rethrowS3). */
export const s3Call = <T>(call: Promise<T>): Promise<T> => call.catch(rethrowS3);
