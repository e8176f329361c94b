/**
 * The `s3://bucket/prefix` address of a blob store, parsed without loading the S3 client: the
 * configuration checks it at start-up, and the S3 stores use the same parse.
 */
export interface S3Location {
  bucket: string;
  /** key prefix without leading or trailing slashes; '' for the bucket's root */
  prefix: string;
}

// S3's bucket naming rules (the DNS-compatible form every store accepts).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Parses `s3://bucket` or `s3://bucket/some/prefix`; throws an Error that says what is wrong. */
export function parseBlobStoreUrl(url: string): S3Location {
  const fail = (why: string) =>
    new Error(`blob store "${url}" is not valid: ${why} (expected s3://bucket/prefix)`);
  const match = /^s3:\/\/([^/?#]*)(\/[^?#]*)?$/.exec(url);
  if (!match) {
    throw fail(url.startsWith('s3://') ? 'it carries a query or fragment' : 'it does not start with s3://');
  }
  const bucket = match[1] ?? '';
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw fail(`"${bucket}" is not a bucket name (3-63 lowercase letters, digits, dots, hyphens)`);
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  for (const segment of prefix === '' ? [] : prefix.split('/')) {
    if (!PREFIX_SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw fail(`the prefix "${prefix}" has an empty, relative or unusual segment "${segment}"`);
    }
  }
  return { bucket, prefix };
}
