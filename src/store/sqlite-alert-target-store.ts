/**
 * The alert targets that the `/warden/alert-targets` routes manage, in the SQLite store. Webhook
 * secrets are stored here as the alert targets file stores them, so they survive a restart. The
 * API never returns them.
 */

import type { AlertTargetConfig } from '../detect/alert-target.ts';
import type { Migration, SqliteHandle } from './sqlite-database.ts';

export const ALERT_TARGETS_MIGRATION: Migration = {
  version: 7,
  name: 'alert targets',
  sql: `
    CREATE TABLE alert_targets (
      name TEXT PRIMARY KEY,
      data TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `,
};

/** Alert targets by name; every write commits before the method returns. */
export class SqliteAlertTargetStore {
  constructor(private readonly db: SqliteHandle) {}

  /** Lists every stored target, sorted by name. */
  list(): AlertTargetConfig[] {
    const rows = this.db.prepare('SELECT data FROM alert_targets ORDER BY name').all() as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as AlertTargetConfig);
  }

  get(name: string): AlertTargetConfig | undefined {
    const row = this.db.prepare('SELECT data FROM alert_targets WHERE name = ?').get(name) as
      { data: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.data) as AlertTargetConfig);
  }

  /** Adds a target or replaces the one of the same name. */
  put(target: AlertTargetConfig, now: number): void {
    this.db
      .prepare(
        'INSERT INTO alert_targets (name, data, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at',
      )
      .run(target.name, JSON.stringify(target), now);
  }

  /** Deletes a target and returns whether it existed. */
  delete(name: string): boolean {
    return this.db.prepare('DELETE FROM alert_targets WHERE name = ?').run(name).changes > 0;
  }

  /**
   * Writes the targets of the alert targets file over the stored ones of the same names and
   * returns every stored target. Warden calls it at start, so the file wins over changes made
   * through the API to a target it defines, and targets added through the API stay.
   */
  seed(fileTargets: readonly AlertTargetConfig[], now: number): AlertTargetConfig[] {
    this.db.transaction(() => {
      for (const target of fileTargets) this.put(target, now);
    })();
    return this.list();
  }
}
