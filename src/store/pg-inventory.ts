import type pg from 'pg';
import { listPostgresMigrations } from './postgres.js';
import {
  CHANGE_STAMP_SQL,
  type ChangeStampRow,
  changeStampOf,
  STORED_BYTES_SQL,
  type StoreInventory,
} from './store-inventory.js';

/** StoreInventory over the pool: each call is one query, answered by whichever connection is free. */
export function createPgInventory(pool: pg.Pool): StoreInventory {
  const known = Math.max(0, ...listPostgresMigrations().map((m) => m.number));
  return {
    async schemaStatus() {
      const { rows } = await pool.query<{ applied: number }>(
        'SELECT coalesce(max(number), 0) AS applied FROM schema_migrations',
      );
      return { applied: Number(rows[0]?.applied ?? 0), known };
    },
    async changeStamp() {
      const { rows } = await pool.query<ChangeStampRow>(CHANGE_STAMP_SQL);
      return changeStampOf(rows[0]);
    },
    async storedBytes() {
      // sum() of integers is numeric in PostgreSQL, which node-postgres hands over as a string
      const { rows } = await pool.query<{ bytes: string }>(STORED_BYTES_SQL);
      return Number(rows[0]?.bytes ?? 0);
    },
  };
}
