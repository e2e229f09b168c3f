import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export type SqliteHandle = Database.Database;

/** One step of the schema. Versions are applied in order, each in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Opens the SQLite file in WAL mode with `synchronous=FULL`, so a transaction that committed is on
 * disk before Warden acknowledges it to a client, then brings the schema up to date.
 * @throws Error when the file was written by a newer Warden (its schema version is unknown here).
 */
export function openSqlite(file: string, migrations: Migration[]): SqliteHandle {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  // The store contains API key secrets: readable by the owner only, with its WAL and index files.
  if (file !== ':memory:') {
    for (const part of [file, `${file}-wal`, `${file}-shm`]) {
      if (existsSync(part)) chmodSync(part, 0o600);
    }
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

function migrate(db: SqliteHandle, migrations: Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  const current = applied.version ?? 0;
  const latest = Math.max(0, ...migrations.map((migration) => migration.version));
  if (current > latest) {
    throw new Error(
      `Database schema version ${current} is newer than this Warden supports (${latest}); upgrade Warden`,
    );
  }

  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    })();
  }
}
