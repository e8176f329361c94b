import { type Answer, rawGet, rawRequest } from './raw-http.js';

/** Sends one hostile request to the server on `port` and returns what came back. */
export type Send = (port: number) => Promise<Answer>;

type Bytes = Buffer | string;
type Body = Bytes | (() => Bytes | Promise<Bytes>);

async function bytesOf(body: Body): Promise<Buffer> {
  return Buffer.from(typeof body === 'function' ? await body() : body);
}

function head(method: string, path: string, headers: Record<string, string | number>): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A request with a body, sent byte for byte with its Content-Length. */
export function send(
  method: string,
  path: string,
  body: Body,
  headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream' },
): Send {
  return async (port) => {
    const bytes = await bytesOf(body);
    const text = head(method, path, { ...headers, 'Content-Length': bytes.length });
    return rawRequest(port, Buffer.concat([Buffer.from(text, 'latin1'), bytes]));
  };
}

/** POST of a raw chart package (the `curl --data-binary` way). */
export const postChart = (body: Body, path = '/api/charts'): Send => send('POST', path, body);

export const get =
  (path: string): Send =>
  (port) =>
    rawGet(port, path);

export const del =
  (path: string): Send =>
  (port) =>
    rawGet(port, path, 'DELETE');

/** Any header lines at all, for floods. */
export function withHeaders(path: string, lines: string[]): Send {
  return (port) =>
    rawRequest(
      port,
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`,
    );
}

export interface Part {
  /** the form field name; undefined writes a part without one */
  name?: string;
  filename?: string;
  body: Bytes;
}

/** multipart/form-data written by hand, so that parts can be as broken as wanted. */
export function form(
  path: string,
  parts: Part[] | (() => Promise<Part[]>),
  options: { truncate?: number } = {},
): Send {
  return async (port) => {
    const boundary = '----charthouse-hostile-boundary';
    const chunks: Buffer[] = [];
    for (const part of typeof parts === 'function' ? await parts() : parts) {
      const disposition = ['form-data'];
      if (part.name !== undefined) disposition.push(`name="${part.name}"`);
      if (part.filename !== undefined) disposition.push(`filename="${part.filename}"`);
      const type = part.filename === undefined ? '' : 'Content-Type: application/octet-stream\r\n';
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition.join('; ')}\r\n${type}\r\n`),
      );
      chunks.push(Buffer.from(part.body), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    let body = Buffer.concat(chunks);
    if (options.truncate !== undefined) body = body.subarray(0, options.truncate);
    return send('POST', path, body, { 'Content-Type': `multipart/form-data; boundary=${boundary}` })(port);
  };
}

/** Starts an OCI upload session and answers its Location (for cases that need one first). */
export async function startOciUpload(port: number, name: string): Promise<string> {
  const answer = await send('POST', `/v2/${name}/blobs/uploads/`, '')(port);
  const location = answer.headers.location;
  if (answer.status !== 202 || !location) throw new Error(`could not start an upload: ${answer.status}`);
  return location;
}
