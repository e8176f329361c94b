import { isRegistryError, RegistryError } from '../errors.js';
import { describeRepository } from '../repositories.js';
import type { Upload } from '../upload.js';
import { IMMUTABLE_REASON, type Lifecycle, provenanceLater, type RemovedVersion } from './lifecycle.js';

export interface PublishedWithLifecycle {
  name: string;
  version: string;
  /** what retention removed right after the push */
  removed?: RemovedVersion[];
  /** retention failed after the publish succeeded; the push stands, `charthouse retention` catches up */
  retentionError?: string;
}

/**
 * An HTTP upload under the repository's lifecycle: an immutable repository takes no overwrite and
 * no other bytes under a deleted version's name, and the retention rule runs once it is stored.
 */
export function uploadWithLifecycle(upload: Upload, repository: string, lifecycle: Lifecycle): Upload {
  async function commit(options: { overwrite: boolean }): Promise<PublishedWithLifecycle> {
    await lifecycle.refuseIfProxy(repository);
    const target = upload.target();
    const immutable = target
      ? await lifecycle.checkPublish(repository, target.name, target.version, target.digest)
      : false;
    if (
      immutable &&
      target &&
      target.digest === undefined &&
      (await lifecycle.storedUnsigned(repository, target))
    ) {
      throw new RegistryError(
        'PROVENANCE_EXISTS',
        provenanceLater(target.name, target.version, describeRepository(repository)),
      );
    }
    let saved: { name: string; version: string };
    try {
      saved = await upload.commit({ overwrite: options.overwrite && !immutable });
    } catch (err) {
      if (immutable && (isRegistryError(err, 'CHART_EXISTS') || isRegistryError(err, 'PROVENANCE_EXISTS'))) {
        throw new RegistryError(err.code, `${err.message}: ${IMMUTABLE_REASON}`);
      }
      throw err;
    }
    try {
      const removed = await lifecycle.afterPush(repository, saved.name);
      return removed.length > 0 ? { ...saved, removed } : saved;
    } catch (err) {
      return { ...saved, retentionError: err instanceof Error ? err.message : String(err) };
    }
  }
  return { ...upload, commit };
}
