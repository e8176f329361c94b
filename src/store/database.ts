import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { packageRoot } from '../package-root.js';

const MIGRATIONS_DIR = join(packageRoot, 'migrations', 'sqlite');

/**
 * Opens (creating if needed) the SQLite database: WAL so readers never wait for the writer,
 * synchronous=FULL so a committed publish survives power loss, foreign keys on, and a busy timeout
 * for the CLI running beside the server. Applies migrations/NNN_*.sql in order, each in its own
 * transaction, tracked with PRAGMA user_version.
 */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function listMigrations(): Array<{ number: number; file: string }> {
  return readdirSync(MIGRATIONS_DIR)
    .map((file) => ({ file, match: /^(\d+)_.+\.sql$/.exec(file) }))
    .filter((m) => m.match !== null)
    .map((m) => ({ number: Number(m.match?.[1]), file: m.file }))
    .sort((a, b) => a.number - b.number);
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const { number, file } of listMigrations()) {
    if (number <= current) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${number}`);
    })();
  }
}
