import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import { RegistryError } from '../errors.js';

export type UploadLimits = Pick<
  Config,
  'maxConcurrentUploads' | 'uploadQueueLength' | 'uploadQueueTimeout' | 'requestTimeout'
>;

/**
 * How long an upload may wait for a slot. Node counts --request-timeout from the request's first
 * byte, so waiting spends it: a wait of at most half of it leaves the other half for the body, and
 * a queued client gets the queue's 429 rather than the server's 408 in the middle of its wait.
 */
export function queueWait({ uploadQueueTimeout, requestTimeout }: UploadLimits): number {
  return requestTimeout > 0
    ? Math.min(uploadQueueTimeout, Math.floor(requestTimeout / 2))
    : uploadQueueTimeout;
}

/**
 * The uploads in progress, shared by every upload route (chart API uploads, OCI blob uploads and
 * manifest PUTs), taken in an onRequest hook or at the top of a handler, before any of the body
 * is read. Up to `maxConcurrentUploads` run at once; the next `uploadQueueLength` wait in arrival
 * order, their bodies unread (a waiting upload costs a socket, not memory). Only when the queue is
 * full or the wait runs out does `acquire` throw TOO_MANY_UPLOADS (429 with Retry-After in each
 * surface's envelope). A slot is held until the response is over or the connection is gone,
 * whichever comes first; a client that leaves while waiting leaves the queue.
 */
export function uploadSlots(limits: UploadLimits) {
  const { maxConcurrentUploads: max, uploadQueueLength } = limits;
  const wait = queueWait(limits);
  let active = 0;
  // a Set keeps arrival order and removes a leaving waiter in O(1)
  const waiting = new Set<() => void>();

  const release = () => {
    const [next] = waiting;
    if (!next) {
      active--;
      return;
    }
    waiting.delete(next);
    next(); // the slot passes straight to the first waiter
  };
  const holdUntilGone = (reply: FastifyReply) => {
    if (reply.raw.destroyed) queueMicrotask(release);
    else reply.raw.once('close', release);
  };

  return {
    /** slots held now, and uploads waiting for one (the metrics' gauges) */
    usage: () => ({ inUse: active, waiting: waiting.size }),
    async acquire(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (active < max) {
        active++;
        holdUntilGone(reply);
        return;
      }
      if (waiting.size >= uploadQueueLength) {
        throw tooMany(reply, `the server is handling ${max} uploads and ${waiting.size} more are waiting`);
      }
      if (reply.raw.destroyed) throw clientGone();
      await new Promise<void>((resolve, reject) => {
        const leave = (err: Error) => {
          waiting.delete(granted);
          clearTimeout(timer);
          reply.raw.off('close', onClose);
          reject(err);
        };
        const onClose = () => leave(clientGone());
        const granted = () => {
          clearTimeout(timer);
          reply.raw.off('close', onClose);
          // owned from this moment, so a client that leaves right now still gives it back
          holdUntilGone(reply);
          resolve();
        };
        const timer = setTimeout(
          () =>
            leave(
              tooMany(reply, `no upload slot came free within ${seconds(wait)} (${max} uploads at once)`),
            ),
          wait,
        );
        reply.raw.once('close', onClose);
        waiting.add(granted);
      });
    },
  };
}

export type UploadSlots = ReturnType<typeof uploadSlots>;

function tooMany(reply: FastifyReply, why: string): RegistryError {
  // The unread body is not worth draining: the client sends it again later.
  reply.header('retry-after', '1').header('connection', 'close');
  return new RegistryError('TOO_MANY_UPLOADS', `${why}; retry in a moment`);
}

/** Nobody reads the answer; the error only ends the request's processing. */
function clientGone(): Error {
  return Object.assign(new Error('the client closed the connection while waiting for an upload slot'), {
    statusCode: 499,
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
