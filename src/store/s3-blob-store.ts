/**
 * Blob layout in an S3 bucket (the disk layout of disk-blob-store.ts, under a key prefix):
 *
 *   <prefix>/blobs/sha256/<first two hex>/<hex>   the bytes of one blob; LastModified = last commit
 *   <tempDir>/<random>                            local: bytes being received, until commit
 *
 * A blob becomes visible in one step: a PutObject (or the CompleteMultipartUpload of a large one)
 * that S3 has acknowledged, so every replica reading the bucket sees the whole blob or none.
 * Staging goes to a local file first because S3 needs the length and the digest names the key.
 */
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { isSha256Hex } from '../charts/digest.js';
import type { BlobStore, ByteRange, StagedBlob } from './blob-store.js';
import { receiveTempFile } from './receive-temp-file.js';
import { createS3BlobMaintenance } from './s3-blob-maintenance.js';
import { isS3NotFound, isS3PreconditionFailed, rethrowS3, s3Call } from './s3-client.js';

export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** key prefix, without leading or trailing slashes ('' for the bucket's root) */
  prefix: string;
  /** local directory for bytes being received (one per replica; `listTemporary` reports it) */
  tempDir: string;
  /** blobs of at least this many bytes go up as a multipart upload (default 16 MiB) */
  multipartThreshold?: number;
}

const MIB = 1024 * 1024;

export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { client, bucket, tempDir } = options;
  const threshold = options.multipartThreshold ?? 16 * MIB;
  const root = options.prefix.replace(/^\/+|\/+$/g, '');
  const blobPrefix = `${root ? `${root}/` : ''}blobs/sha256/`;
  const keyOf = (digest: string) => {
    if (!isSha256Hex(digest)) throw new Error(`not a sha256 digest: ${digest}`);
    return `${blobPrefix}${digest.slice(0, 2)}/${digest}`;
  };
  const head = (digest: string) =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: keyOf(digest) })).catch((err: unknown) => {
      if (isS3NotFound(err)) return undefined;
      return rethrowS3(err);
    });

  /**
   * Renews the LastModified of a stored blob (gc's commit time) by copying it onto itself; S3
   * refuses a self-copy that changes nothing, hence the metadata. False when the blob is gone.
   */
  async function renew(key: string): Promise<boolean> {
    const copy = new CopyObjectCommand({
      Bucket: bucket,
      Key: key,
      CopySource: `${bucket}/${key}`,
      MetadataDirective: 'REPLACE',
      ContentType: 'application/octet-stream',
      Metadata: { 'committed-at': new Date().toISOString() },
    });
    return client.send(copy).then(
      () => true,
      (err: unknown) => (isS3NotFound(err) ? false : rethrowS3(err)),
    );
  }

  /** A conditional create; a 412 means the same bytes are stored already, and renews them. */
  async function putSmall(tmp: string, key: string): Promise<void> {
    // a Buffer, not a stream: the SDK can then resend it when it retries
    const body = await readFile(tmp);
    // Twice at most: gc may take the stored copy away between the 412 and the renewal.
    for (let attempt = 0; attempt < 2; attempt++) {
      const put = new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        IfNoneMatch: '*',
        ContentType: 'application/octet-stream',
      });
      const created = await client.send(put).then(
        () => true,
        (err: unknown) => (isS3PreconditionFailed(err) ? false : rethrowS3(err)),
      );
      if (created || (await renew(key))) return;
    }
    throw new Error(`blob ${key} kept disappearing while it was committed`);
  }

  /**
   * Ceph Pacific ignores If-None-Match on CompleteMultipartUpload, so a stored copy is looked for
   * first. Between that look and the completion another replica may store the same digest; the
   * completion then replaces it with identical bytes, which readers cannot tell apart.
   */
  async function putLarge(tmp: string, key: string, digest: string, size: number): Promise<void> {
    if ((await head(digest)) && (await renew(key))) return;
    const upload = new Upload({
      client,
      params: {
        Bucket: bucket,
        Key: key,
        Body: createReadStream(tmp),
        ContentLength: size,
        ContentType: 'application/octet-stream',
        IfNoneMatch: '*',
      },
      // S3 allows at most 10,000 parts of at least 5 MiB
      partSize: Math.max(5 * MIB, Math.ceil(size / 10_000)),
      queueSize: 4,
    });
    await upload.done().catch(async (err: unknown) => {
      if (!isS3PreconditionFailed(err)) return rethrowS3(err);
      if (!(await renew(key))) throw err;
    });
  }

  async function stage(source: Readable, limits: { maxBytes?: number } = {}): Promise<StagedBlob> {
    const { path: tmp, digest, size } = await receiveTempFile(source, tempDir, limits);
    let settled = false;
    return {
      digest,
      size,
      open: () => createReadStream(tmp),
      async commit() {
        if (settled) return;
        const key = keyOf(digest);
        if (size >= threshold) await putLarge(tmp, key, digest, size);
        else await putSmall(tmp, key);
        settled = true;
        await rm(tmp, { force: true });
      },
      async discard() {
        if (settled) return;
        settled = true;
        await rm(tmp, { force: true });
      },
    };
  }

  return {
    stage,
    ...createS3BlobMaintenance({ client, bucket, blobPrefix, tempDir, head }),
    async stat(digest) {
      const found = await head(digest);
      return found ? { size: found.ContentLength ?? 0 } : undefined;
    },
    async open(digest: string, range?: ByteRange) {
      const get = new GetObjectCommand({
        Bucket: bucket,
        Key: keyOf(digest),
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      });
      try {
        return (await client.send(get)).Body as Readable;
      } catch (err) {
        if (isS3NotFound(err)) return undefined;
        // a range past the end: no bytes, as a file read past its end gives
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) {
          return Readable.from([]);
        }
        return rethrowS3(err);
      }
    },
    async delete(digest) {
      if (!(await head(digest))) return false;
      await s3Call(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(digest) })));
      return true;
    },
    async *list() {
      try {
        for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: blobPrefix })) {
          for (const { Key } of page.Contents ?? []) {
            const name = Key?.slice(Key.lastIndexOf('/') + 1) ?? '';
            if (isSha256Hex(name) && Key === keyOf(name)) yield name;
          }
        }
      } catch (err) {
        rethrowS3(err);
      }
    },
  };
}
