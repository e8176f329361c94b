import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { BlobStore } from '../store/blob-store.js';
import type { StoreInventory } from '../store/store-inventory.js';

/** One check that failed, as /ready lists it: a message for people, never a raw storage error. */
export interface FailedCheck {
  check: 'database' | 'migrations' | 'blob-store' | 'shutdown';
  message: string;
}

export interface Readiness {
  ready: boolean;
  failed: FailedCheck[];
}

/** A result is reused for this long, so that probes from every kubelet and balancer cost one check. */
export const READINESS_CACHE_MS = 3000;
/** A store that has not answered within this long is not ready (a hung connection must not hang the probe). */
export const CHECK_TIMEOUT_MS = 5000;

export interface ReadinessDeps {
  meta: Pick<StoreInventory, 'schemaStatus'>;
  blobs: Pick<BlobStore, 'stage' | 'delete'>;
  /** where a failure's details go (the answer carries only what failed) */
  onFailure?: (check: FailedCheck['check'], err: unknown) => void;
  clock?: () => number;
  cacheMs?: number;
  timeoutMs?: number;
}

/**
 * Whether the server can serve: the database answers, its schema is the one this build expects,
 * and the blob store takes a write (a few random bytes committed, then deleted).
 * The checks run at most once per READINESS_CACHE_MS; concurrent probes share one run.
 */
export function createReadinessProbe({
  meta,
  blobs,
  onFailure = () => undefined,
  clock = () => performance.now(),
  cacheMs = READINESS_CACHE_MS,
  timeoutMs = CHECK_TIMEOUT_MS,
}: ReadinessDeps) {
  let last: { at: number; result: Readiness } | undefined;
  let running: Promise<Readiness> | undefined;

  async function database(): Promise<FailedCheck[]> {
    const { applied, known } = await within(timeoutMs, meta.schemaStatus());
    if (applied === known) return [];
    const message =
      applied < known
        ? `the database schema is at migration ${applied}; this build needs ${known} (run charthouse migrate)`
        : `the database schema is at migration ${applied}, newer than this build knows (${known}); run a build that matches it`;
    return [{ check: 'migrations', message }];
  }

  async function blobStore(): Promise<void> {
    // Committed, not only staged: the S3 store stages on local disk and writes to the bucket at
    // commit. Random bytes no row can refer to, deleted at once (a crash in between leaves 32
    // bytes for gc); finished even when it finishes after the timeout, so a slow store keeps nothing.
    const probe = blobs.stage(Readable.from([randomBytes(32)])).then(async (staged) => {
      try {
        await staged.commit();
      } finally {
        await staged.discard();
        await blobs.delete(staged.digest);
      }
    });
    await within(timeoutMs, probe);
  }

  async function run(): Promise<Readiness> {
    const startedAt = clock();
    const failed: FailedCheck[] = [];
    const [db, blob] = await Promise.allSettled([database(), blobStore()]);
    if (db.status === 'fulfilled') failed.push(...db.value);
    else {
      onFailure('database', db.reason);
      failed.push({ check: 'database', message: 'the database did not answer' });
    }
    if (blob.status === 'rejected') {
      onFailure('blob-store', blob.reason);
      failed.push({ check: 'blob-store', message: 'the blob store did not take a write' });
    }
    const result = { ready: failed.length === 0, failed };
    last = { at: startedAt, result };
    return result;
  }

  return {
    check(): Promise<Readiness> {
      if (last && clock() - last.at < cacheMs) return Promise.resolve(last.result);
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

export type ReadinessProbe = ReturnType<typeof createReadinessProbe>;

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
