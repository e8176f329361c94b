import type Database from 'better-sqlite3';
import { listMigrations } from './database.js';
import {
  CHANGE_STAMP_SQL,
  type ChangeStampRow,
  changeStampOf,
  STORED_BYTES_SQL,
  type StoreInventory,
} from './store-inventory.js';

/** StoreInventory over the metadata store's own connection. */
export function createSqliteInventory(db: Database.Database): StoreInventory {
  const stamp = db.prepare(CHANGE_STAMP_SQL);
  const bytes = db.prepare(STORED_BYTES_SQL);
  const known = Math.max(0, ...listMigrations().map((m) => m.number));
  return {
    async schemaStatus() {
      return { applied: db.pragma('user_version', { simple: true }) as number, known };
    },
    async changeStamp() {
      return changeStampOf(stamp.get() as ChangeStampRow | undefined);
    },
    async storedBytes() {
      return Number((bytes.get() as { bytes: number }).bytes);
    },
  };
}
