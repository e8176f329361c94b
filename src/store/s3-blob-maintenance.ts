/**
 * The maintenance half of the S3 BlobStore (layout in s3-blob-store.ts). A blob's LastModified is
 * its commit time: a commit of bytes already stored copies the object onto itself, which renews it.
 *
 * Temporary files are of two kinds, both swept by gc after its grace period:
 *   <name>                        a local staging file under tempDir (this replica's only)
 *   multipart:<key>#<upload id>   an incomplete multipart upload of a blob, left by a crash
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  type HeadObjectCommandOutput,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  type MultipartUpload,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BlobStore, TemporaryFile } from './blob-store.js';
import { isS3NotFound, rethrowS3, s3Call } from './s3-client.js';

type BlobMaintenance = Pick<BlobStore, 'committedAt' | 'deleteIfOlder' | 'listTemporary' | 'removeTemporary'>;

const MULTIPART = 'multipart:';

export function createS3BlobMaintenance(deps: {
  client: S3Client;
  bucket: string;
  /** `<prefix>/blobs/sha256/` */
  blobPrefix: string;
  tempDir: string;
  head(digest: string): Promise<HeadObjectCommandOutput | undefined>;
}): BlobMaintenance {
  const { client, bucket, blobPrefix, tempDir, head } = deps;

  async function* multipartUploads(prefix: string): AsyncIterable<MultipartUpload> {
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const list = new ListMultipartUploadsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker,
        UploadIdMarker,
      });
      const page = await s3Call(client.send(list));
      yield* page.Uploads ?? [];
      KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      UploadIdMarker = page.NextUploadIdMarker;
    } while (KeyMarker);
  }

  /** Bytes and last activity of an incomplete upload: its newest part, else when it began. */
  async function describe(upload: MultipartUpload): Promise<TemporaryFile> {
    let size = 0;
    let modified = upload.Initiated?.getTime() ?? 0;
    // By hand rather than paginateListParts: Ceph sends a NextPartNumberMarker on the last page
    // too, and the paginator, which follows the marker alone, then asks for ever.
    let PartNumberMarker: string | undefined;
    try {
      do {
        const list = new ListPartsCommand({
          Bucket: bucket,
          Key: upload.Key,
          UploadId: upload.UploadId,
          PartNumberMarker,
        });
        const page = await client.send(list);
        for (const part of page.Parts ?? []) {
          size += part.Size ?? 0;
          modified = Math.max(modified, part.LastModified?.getTime() ?? 0);
        }
        PartNumberMarker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (PartNumberMarker);
    } catch (err) {
      // completed or aborted since it was listed: it has no parts left to count
      if (!isS3NotFound(err)) rethrowS3(err);
    }
    return { id: `${MULTIPART}${upload.Key}#${upload.UploadId}`, size, modified: new Date(modified) };
  }

  async function removeMultipart(id: string, cutoff: Date): Promise<boolean> {
    const hash = id.lastIndexOf('#');
    if (hash < 0) return false;
    const key = id.slice(MULTIPART.length, hash);
    const uploadId = id.slice(hash + 1);
    if (!key.startsWith(blobPrefix) || uploadId === '') return false;
    for await (const upload of multipartUploads(key)) {
      if (upload.Key !== key || upload.UploadId !== uploadId) continue;
      if ((await describe(upload)).modified.getTime() >= cutoff.getTime()) return false;
      const abort = new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId });
      return client.send(abort).then(
        () => true,
        (err: unknown) => (isS3NotFound(err) ? false : rethrowS3(err)),
      );
    }
    return false;
  }

  return {
    async committedAt(digest) {
      return (await head(digest))?.LastModified;
    },

    /**
     * S3 has no compare-and-delete, so this is HEAD, compare, DELETE. A commit that renews the blob
     * in the milliseconds between the HEAD and the DELETE loses it. gc only gets here for a blob no
     * row refers to and that is older than its grace period, so the loser would have to be a new
     * publish of exactly those bytes landing in that window.
     */
    async deleteIfOlder(digest, cutoff) {
      const found = await head(digest);
      if (!found?.LastModified || found.LastModified.getTime() >= cutoff.getTime()) return false;
      const key = `${blobPrefix}${digest.slice(0, 2)}/${digest}`;
      await s3Call(client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
      return true;
    },

    async *listTemporary(): AsyncIterable<TemporaryFile> {
      const names = await readdir(tempDir).catch(() => [] as string[]);
      for (const id of names.sort()) {
        const found = await stat(join(tempDir, id)).catch(() => undefined);
        if (found?.isFile()) yield { id, size: found.size, modified: found.mtime };
      }
      for await (const upload of multipartUploads(blobPrefix)) yield await describe(upload);
    },

    async removeTemporary(id, cutoff) {
      if (id.startsWith(MULTIPART)) return removeMultipart(id, cutoff);
      if (id.includes('/') || id.includes('\\') || id === '.' || id === '..' || id === '') return false;
      const path = join(tempDir, id);
      const found = await stat(path).catch(() => undefined);
      if (!found?.isFile() || found.mtimeMs >= cutoff.getTime()) return false;
      await unlink(path).catch(() => undefined);
      return true;
    },
  };
}
