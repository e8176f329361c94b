import { connect } from 'node:net';

/** What came back, however the request was sent. */
export interface Answer {
  status: number;
  /** `{"error"}`, the first OCI `errors[].message` (with its code), or else the reason phrase */
  message: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends bytes exactly as given over a fresh socket and reads the answer until the server closes.
 * Clients (fetch, superagent) normalise `..`, `%2e` and backslashes away; attackers do not.
 */
export function rawRequest(port: number, request: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server may reset a flood it stopped reading; what it answered before still counts.
    socket.on('error', (err) =>
      chunks.length > 0 ? resolve(parseAnswer(Buffer.concat(chunks))) : reject(err),
    );
    socket.on('end', () => resolve(parseAnswer(Buffer.concat(chunks))));
    socket.write(request);
  });
}

/** `GET <path>` with nothing but Host and Connection: close; the path is sent byte for byte. */
export function rawGet(port: number, path: string, method = 'GET'): Promise<Answer> {
  return rawRequest(port, `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
}

export function parseAnswer(bytes: Buffer): Answer {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`not an HTTP answer: ${JSON.stringify(bytes.subarray(0, 200).toString())}`);
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  if (!match) throw new Error(`not an HTTP status line: ${statusLine}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
  return { status: Number(match[1]), message: messageOf(body, match[2] ?? ''), headers, body };
}

function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString(), 16);
    if (!size) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** The error message of either envelope; an OCI message is prefixed with its code. */
export function messageOf(body: Buffer, reason: string): string {
  try {
    const doc = JSON.parse(body.toString('utf8')) as {
      error?: string;
      errors?: Array<{ code?: string; message?: string }>;
    };
    if (typeof doc.error === 'string') return doc.error;
    const first = doc.errors?.[0];
    if (first) return `${first.code ?? ''}: ${first.message ?? ''}`;
  } catch {
    // not JSON: Node's own answers (400, 431) carry only their reason phrase
  }
  return body.length > 0 ? body.toString('utf8') : reason;
}
