import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import yaml from 'js-yaml';
import { type BodyFile, bodyFileOf, createBodyFile } from './body-file.js';
import { type ChartBlock, describeBlock } from './chart-block.js';
import { withChartUrlPrefix } from './chart-url.js';
import { crc32Combine } from './crc32.js';
import { DUMP_OPTIONS } from './yaml-fragments.js';

/** Where the stored blocks come from: MetadataStore.readIndexBlocks. */
export type ReadIndexBlocks = (
  repository: string,
  options: { bodies: boolean },
  onBlock: (block: ChartBlock) => void,
) => Promise<{ revision: number; updated: string } | undefined>;

export interface RenderedIndex {
  /** the revision the blocks were read at */
  revision: number;
  etag: string;
  lastModified: string;
  /** bytes of the plain document */
  length: number;
  gzip: Buffer;
  /** the plain document, when the render read it: bytes when small, a file on disk when large */
  plain?: Buffer | PlainFile;
  /** lets go of the plain document's file, once a newer render replaced this one */
  retire(): void;
}

/** A plain document kept in a file (body-file.ts). */
export interface PlainFile {
  /** writes the whole document to `destination` (see BodyFile.writeTo); does not end it */
  writeTo(destination: Writable): Promise<void>;
  fd: number;
}

export function plainFile(file: BodyFile, length: number): PlainFile {
  return { writeTo: (destination) => file.writeTo(destination, length), fd: file.fd };
}

export interface DocumentOptions {
  /** what comes before `charts/<file>` in URLs (`--chart-url`); empty for relative URLs */
  urlPrefix: string;
  contextPath: string;
  /** plain documents longer than this go to a file in `fileDir` instead of memory */
  memoryLimit: number;
  fileDir: string;
  /** an open, empty file to use instead of creating one in fileDir (a worker writes the main thread's) */
  fileDescriptor?: number;
}

/** What an index's ETag and gzip form need from a piece of it. */
type Piece = Omit<ChartBlock, 'name' | 'body'>;

/** The digests of URL-rewritten blocks, by the sha256 (hex) of the stored block. */
export type UrlMemo = Map<string, Piece>;

const HEAD = Buffer.from('apiVersion: v1\nentries:\n', 'utf8');
const EMPTY_HEAD = Buffer.from('apiVersion: v1\nentries: {}\n', 'utf8');
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
/** A final, empty deflate block (fixed Huffman codes): ends the stream of non-final blocks. */
const DEFLATE_END = Buffer.from([3, 0]);

/**
 * index.yaml from the stored chart blocks: the head, every block in name order, the tail
 * (`generated`, the time of the last change, so one revision always gives the same bytes). Nothing
 * is rendered or compressed but the head and tail: the gzip form is the blocks' deflate streams
 * one after the other (the CRC-32 combined from theirs), and the ETag the hash of their hashes,
 * equal to the ETag of the same bytes rendered whole before blocks were stored. The plain document
 * is assembled only when `bodies` is set. `memo` keeps the URL-rewritten digests of blocks between
 * renders (used with `--chart-url` only).
 */
export async function renderDocument(
  read: ReadIndexBlocks,
  repository: string,
  bodies: boolean,
  opts: DocumentOptions,
  memo: UrlMemo,
): Promise<RenderedIndex | undefined> {
  const pieces: Piece[] = [];
  const plain = bodies ? createPlainWriter(opts) : undefined;
  const rewritten = new Map<string, Piece>();
  const found = await read(repository, { bodies: bodies || opts.urlPrefix !== '' }, (stored) => {
    if (!opts.urlPrefix) {
      // the digests only: holding on to the bodies would keep the whole document in memory
      pieces.push({
        length: stored.length,
        crc32: stored.crc32,
        sha256: stored.sha256,
        deflated: stored.deflated,
      });
      if (stored.body !== undefined) plain?.append(stored.body, stored.length);
      return;
    }
    const key = stored.sha256.toString('hex');
    const known = memo.get(key);
    const body = known && !plain ? undefined : withChartUrlPrefix(stored.body as string, opts.urlPrefix);
    const piece = known ?? describeBlock(stored.name, Buffer.from(body as string, 'utf8'));
    rewritten.set(key, {
      length: piece.length,
      crc32: piece.crc32,
      sha256: piece.sha256,
      deflated: piece.deflated,
    });
    pieces.push({ length: piece.length, crc32: piece.crc32, sha256: piece.sha256, deflated: piece.deflated });
    if (body !== undefined) plain?.append(body, piece.length);
  });
  if (!found) {
    plain?.discard();
    return undefined;
  }
  memo.clear();
  for (const [key, piece] of rewritten) memo.set(key, piece);

  const head = pieces.length > 0 ? HEAD : EMPTY_HEAD;
  const tail = Buffer.from(
    yaml.dump(
      { generated: found.updated, serverInfo: opts.contextPath ? { contextPath: opts.contextPath } : {} },
      DUMP_OPTIONS,
    ),
    'utf8',
  );
  const all = [describeBlock('', head), ...pieces, describeBlock('', tail)];
  const hash = createHash('sha256');
  let length = 0;
  let crc = 0;
  for (const piece of all) {
    hash.update(piece.sha256);
    crc = crc32Combine(crc, piece.crc32, piece.length);
    length += piece.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  const body = plain?.finish(head, tail);
  const file = body && !Buffer.isBuffer(body) ? body : undefined;
  const bytes = Buffer.isBuffer(body) ? body : undefined;
  return {
    revision: found.revision,
    etag: `"${hash.digest('hex').slice(0, 32)}"`,
    lastModified: new Date(found.updated).toUTCString(),
    length,
    gzip: Buffer.concat([GZIP_HEADER, ...all.map((piece) => piece.deflated), DEFLATE_END, trailer]),
    ...(file && { plain: plainFile(file, length) }),
    ...(bytes && { plain: bytes }),
    retire: () => file?.retire(),
  };
}

/** Collects the blocks of a plain document in memory, moving to a file once it outgrows the limit. */
function createPlainWriter(opts: DocumentOptions) {
  let chunks: string[] = [];
  let file: BodyFile | undefined;
  // blocks start after the head of a document with entries; an empty one is never written to a file
  let offset = HEAD.length;
  return {
    /** `text` is `length` bytes in UTF-8 */
    append(text: string, length: number) {
      if (!file && offset + length > opts.memoryLimit) {
        file =
          opts.fileDescriptor === undefined ? createBodyFile(opts.fileDir) : bodyFileOf(opts.fileDescriptor);
        file.writeText(chunks.join(''), HEAD.length, offset - HEAD.length);
        chunks = [];
      }
      if (file) file.writeText(text, offset, length);
      else chunks.push(text);
      offset += length;
    },
    finish(head: Buffer, tail: Buffer): Buffer | BodyFile {
      if (!file) return Buffer.concat([head, Buffer.from(chunks.join(''), 'utf8'), tail]);
      file.write(head, 0);
      file.write(tail, offset);
      return file;
    },
    discard() {
      file?.retire();
    },
  };
}
