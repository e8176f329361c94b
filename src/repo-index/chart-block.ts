import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import { crc32 } from './crc32.js';
import { toEntry, type VersionRecord } from './entry.js';
import { chartHeader, dumpEntries } from './yaml-fragments.js';

/**
 * One chart's part of index.yaml, `  <name>:` and its versions' entries newest first, as the store
 * keeps it from publish to publish, with what serving needs without reading its bytes: the length,
 * the CRC-32 and sha256 (for the gzip trailer and the ETag), and a raw deflate stream of it ended
 * by a sync flush (non-final blocks, byte-aligned), so that the gzip form of the whole index is
 * the pieces' streams one after the other.
 */
export interface ChartBlock {
  name: string;
  length: number;
  crc32: number;
  sha256: Buffer;
  deflated: Buffer;
  /**
   * the YAML, when it was asked for; a string rather than bytes because strings of this size live
   * on the V8 heap and die young, where buffers read by the hundred megabytes pile up off-heap
   */
  body?: string;
}

/** Stored entries carry relative URLs; `--chart-url` is applied when serving (see chart-url.ts). */
const STORED_URLS = { chartUrl: '', contextPath: '', repository: '' };

/** Each version's entry as it appears in index.yaml, with the relative URL `charts/<file>`. */
export function versionFragments(records: VersionRecord[]): Buffer[] {
  return dumpEntries(records.map((record) => toEntry(record, STORED_URLS)));
}

/** The block of chart `name` from its versions' fragments, already newest first. */
export function buildChartBlock(name: string, fragments: Buffer[]): Required<ChartBlock> {
  return describeBlock(name, Buffer.concat([chartHeader(name), ...fragments]));
}

/** A block's digests and deflate stream from its bytes; `body` is decoded when first read. */
export function describeBlock(name: string, bytes: Buffer): Required<ChartBlock> {
  let body: string | undefined;
  return {
    name,
    length: bytes.length,
    crc32: crc32(bytes),
    sha256: createHash('sha256').update(bytes).digest(),
    deflated: deflatePiece(bytes),
    // a publish stores the digests and the stream only: decoding the YAML there was wasted work
    get body() {
      body ??= bytes.toString('utf8');
      return body;
    },
  };
}

/**
 * zlib's level for blocks: a publish deflates its chart's whole block inside the write
 * transaction, and level 3 does that 2.5–3.5 times faster than the default 6 for index YAML
 * (measured on the bench's charts) for a gzip a fifth to a third larger.
 */
const BLOCK_LEVEL = 3;

/** A raw deflate stream that refers to nothing before it and ends byte-aligned, without a final block. */
export function deflatePiece(bytes: Buffer): Buffer {
  return zlib.deflateRawSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, level: BLOCK_LEVEL });
}

/** The bytes of a stream made by deflatePiece, as a string (see ChartBlock.body). */
export function inflatePiece(deflated: Buffer): string {
  return zlib.inflateRawSync(deflated, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
}
