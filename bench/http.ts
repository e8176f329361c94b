import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** the body as sent, never decompressed */
  body: Buffer;
}

/** One HTTP/1.1 request on a keep-alive connection; the body is read whole and left as it came. */
export function request(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer;
    /** another pool of connections than the shared one of 4 (the soak's 32 clients) */
    agent?: Agent;
    /** gives up (rejects) after this long without the whole answer */
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? agent, signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Like request, but rejects unless the status is `status`. */
export async function expectStatus(
  status: number,
  url: string,
  options: Parameters<typeof request>[1] = {},
): Promise<RawResponse> {
  const response = await request(url, options);
  if (response.status !== status) {
    const text = response.body.subarray(0, 300).toString('utf8');
    throw new Error(`${options.method ?? 'GET'} ${url} answered ${response.status}, not ${status}: ${text}`);
  }
  return response;
}

export function closeConnections(): void {
  agent.destroy();
}
