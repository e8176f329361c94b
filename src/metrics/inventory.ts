import type { MetadataStore } from '../store/metadata-store.js';

/** What the inventory gauges show: the stored repositories, charts, versions and bytes. */
export interface Inventory {
  repositories: Array<{ path: string; charts: number; versions: number }>;
  blobBytes: number;
}

/** How stale the gauges may be: the change stamp is read at most this often. */
export const INVENTORY_RECHECK_MS = 5000;

type InventorySource = Pick<MetadataStore, 'changeStamp' | 'storedBytes' | 'listRepositories'>;

/**
 * Reads the inventory from the database, so that every replica reports the same numbers whichever
 * of them took the writes. A scrape costs at most one query of the repositories table (the change
 * stamp, at most every INVENTORY_RECHECK_MS); the counts are read again only when it moved.
 * Concurrent scrapes share one read.
 */
export function createInventoryReader(
  meta: InventorySource,
  clock: () => number = () => performance.now(),
  recheckMs = INVENTORY_RECHECK_MS,
) {
  let current: { stamp: string; inventory: Inventory } | undefined;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<Inventory> | undefined;

  async function refresh(): Promise<Inventory> {
    const askedAt = clock();
    const stamp = await meta.changeStamp();
    if (current?.stamp !== stamp) {
      const [rows, blobBytes] = await Promise.all([meta.listRepositories(), meta.storedBytes()]);
      // PostgreSQL's count() is a bigint, which node-postgres hands over as a string
      const repositories = rows.map((r) => ({
        path: r.path,
        charts: Number(r.charts),
        versions: Number(r.versions),
      }));
      current = { stamp, inventory: { repositories, blobBytes } };
    }
    checkedAt = askedAt;
    return current.inventory;
  }

  return {
    read(): Promise<Inventory> {
      if (current && clock() - checkedAt < recheckMs) return Promise.resolve(current.inventory);
      reading ??= refresh().finally(() => {
        reading = undefined;
      });
      return reading;
    },
  };
}
