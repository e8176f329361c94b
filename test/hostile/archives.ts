import { gzipSync } from 'node:zlib';
import { gzipTar, makeChart } from '../support/make-chart.js';
import { provenanceDocument } from '../support/provenance.js';

/**
 * Hostile archives. Bombs are built from gzip members (RFC 1952 allows a stream of several, and
 * gunzip reads them as one): a member of N zero bytes is compressed once and repeated, so an
 * archive of hundreds of MiB expanded costs a few KiB here and no memory in the test.
 */
const MiB = 1024 * 1024;

/** A ustar header block for a regular file of `size` bytes (typeflag '0'). */
export function tarHeader(name: string, size: number, type = '0'): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

let zeros4MiB: Buffer | undefined;
/** One gzip member of 4 MiB of zeros (about 4 KiB compressed). */
function gzippedZeros(): Buffer {
  zeros4MiB ??= gzipSync(Buffer.alloc(4 * MiB), { level: 9 });
  return zeros4MiB;
}

const chartYaml = 'apiVersion: v2\nname: bomb\nversion: 1.0.0\n';

/** `count` files of 4 MiB each (under the per-file limit), so only the total gives it away. */
export function gzipBomb(count: number): Buffer {
  const members: Buffer[] = [
    gzipSync(Buffer.concat([tarHeader('bomb/Chart.yaml', chartYaml.length), padded(chartYaml)])),
  ];
  for (let i = 0; i < count; i++) {
    members.push(gzipSync(tarHeader(`bomb/files/zero-${i}.bin`, 4 * MiB)), gzippedZeros());
  }
  members.push(gzipSync(Buffer.alloc(1024)));
  return Buffer.concat(members);
}

/** One file that expands to `mib` MiB: over the per-file limit, told by its header. */
export function tarBomb(mib: number): Buffer {
  const members: Buffer[] = [
    gzipSync(Buffer.concat([tarHeader('bomb/Chart.yaml', chartYaml.length), padded(chartYaml)])),
  ];
  members.push(gzipSync(tarHeader('bomb/huge.bin', mib * MiB)));
  for (let i = 0; i < mib / 4; i++) members.push(gzippedZeros());
  members.push(gzipSync(Buffer.alloc(1024)));
  return Buffer.concat(members);
}

function padded(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512)]);
}

/** A chart whose Chart.yaml is `text` (bytes, so invalid UTF-8 can be written). */
export async function chartWithYaml(text: string | Buffer): Promise<Buffer> {
  return gzipTar([
    { name: 'mychart/Chart.yaml', body: Buffer.from(text) },
    { name: 'mychart/values.yaml', body: 'a: 1\n' },
  ]);
}

/** The "billion laughs" in YAML: nine levels of nine aliases each. */
export function aliasBomb(top: string): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 9; level++) {
    const prev = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${top}${lines.join('\n')}\n`;
}

/** A clear-signed provenance file (placeholder signature) naming `name` `version`; `files` maps names to hex digests. */
export function provenance(name: string, version: string, files: Record<string, string>): string {
  const digests = Object.fromEntries(Object.entries(files).map(([file, hex]) => [file, `sha256:${hex}`]));
  return provenanceDocument(name, version, digests);
}

export { gzipTar, makeChart };
