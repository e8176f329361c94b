import { gzipSync } from 'node:zlib';

/**
 * A minimal synchronous ustar writer for the synthetic charts: regular files only, names under
 * 100 bytes. Synchronous so that a load generator can build a fresh package inside autocannon's
 * setupRequest without an await.
 */
export function gzipTar(files: Array<{ name: string; body: string }>, mtime: number): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const body = Buffer.from(file.body, 'utf8');
    blocks.push(header(file.name, body.length, mtime), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

function header(name: string, size: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 99) throw new Error(`tar entry name too long: ${name}`);
  const block = Buffer.alloc(512);
  const put = (text: string, offset: number) => block.write(text, offset, 'ascii');
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, '0');
  put(name, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(mtime, 12), 136);
  put('        ', 148);
  put('0', 156);
  put('ustar\u000000', 257);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${octal(sum, 7)}\u0000`, 148);
  return block;
}
