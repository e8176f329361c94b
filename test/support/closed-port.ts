import assert from 'node:assert/strict';
import { createServer } from 'node:net';

/** A loopback port nothing listens on: bound, then released (for "the store cannot be reached"). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  assert.ok(address && typeof address === 'object');
  return address.port;
}
