/**
 * Importing into the stores this process opens (`--storage`, `--database`, `--blob-store`): each
 * version is one upload through the registry, exactly as the ChartMuseum upload route makes it,
 * so the same validation, signature policy, immutability and retention apply.
 */
import type { Config } from '../config/config.js';
import { isRegistryError } from '../errors.js';
import { createServices } from '../services.js';
import type { Stores } from '../store/open-stores.js';
import { bufferSource } from '../upload.js';
import { type ImportTarget, VersionExists } from './import-types.js';
import { nameMismatch } from './source-error.js';

export function createLocalTarget(stores: Stores, config: Config, description: string): ImportTarget {
  const { registry } = createServices(stores, config);
  return {
    description,
    async stored(repository, name, version) {
      const record = await stores.meta.getVersion(repository, name, version);
      return record && { digest: record.digest };
    },
    readsPackages: true,
    async publish(repository, files, { overwrite, expect }) {
      const upload = registry.beginUpload(repository);
      try {
        await upload.addChart(bufferSource(files.chart));
        const staged = upload.target();
        if (staged && (staged.name !== expect.name || staged.version !== expect.version)) {
          throw nameMismatch(expect, staged);
        }
        if (files.prov) await upload.addProvenance(bufferSource(files.prov));
        await upload.commit({ overwrite });
      } catch (err) {
        if (isRegistryError(err, 'CHART_EXISTS') && !overwrite) throw new VersionExists(err.message);
        throw err;
      } finally {
        await upload.discard();
      }
    },
    close: () => stores.close(),
  };
}
