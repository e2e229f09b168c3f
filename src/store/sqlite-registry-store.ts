import type {
  Link,
  RegistryChange,
  RegistrySnapshot,
  RegistryStore,
} from '../registry/registry-store.ts';
import type { LinkKind, LoggingOptions, RecordKind } from '../registry/types.ts';
import type { SqliteHandle } from './sqlite-database.ts';

const KINDS: RecordKind[] = [
  'thing',
  'thingGroup',
  'certificate',
  'caCertificate',
  'policy',
  'roleAlias',
  'iamRole',
  'identityPool',
  'crl',
];

/** The registry in SQLite: one table of JSON records keyed by kind, one of links. */
export class SqliteRegistryStore implements RegistryStore {
  private readonly statements;

  constructor(private readonly db: SqliteHandle) {
    this.statements = {
      put: db.prepare(
        'INSERT INTO registry_records (kind, key, data) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data',
      ),
      delete: db.prepare('DELETE FROM registry_records WHERE kind = ? AND key = ?'),
      link: db.prepare(
        'INSERT OR IGNORE INTO registry_links (kind, from_key, to_key) VALUES (?, ?, ?)',
      ),
      unlink: db.prepare(
        'DELETE FROM registry_links WHERE kind = ? AND from_key = ? AND to_key = ?',
      ),
      logging: db.prepare(
        "INSERT INTO registry_settings (name, data) VALUES ('logging', ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
      ),
    };
  }

  async load(): Promise<RegistrySnapshot> {
    const records = Object.fromEntries(
      KINDS.map((kind) => [kind, new Map()]),
    ) as RegistrySnapshot['records'];
    const rows = this.db.prepare('SELECT kind, key, data FROM registry_records').all() as {
      kind: RecordKind;
      key: string;
      data: string;
    }[];
    for (const row of rows) records[row.kind]?.set(row.key, JSON.parse(row.data) as never);

    const linkRows = this.db.prepare('SELECT kind, from_key, to_key FROM registry_links').all() as {
      kind: LinkKind;
      from_key: string;
      to_key: string;
    }[];
    const links: Link[] = linkRows.map((row) => ({
      kind: row.kind,
      from: row.from_key,
      to: row.to_key,
    }));

    const setting = this.db
      .prepare("SELECT data FROM registry_settings WHERE name = 'logging'")
      .get() as { data: string } | undefined;
    const snapshot: RegistrySnapshot = { records, links };
    if (setting) snapshot.logging = JSON.parse(setting.data) as LoggingOptions;
    return snapshot;
  }

  async apply(changes: RegistryChange[]): Promise<void> {
    this.db.transaction(() => {
      for (const change of changes) this.applyOne(change);
    })();
  }

  private applyOne(change: RegistryChange): void {
    const s = this.statements;
    switch (change.type) {
      case 'put':
        s.put.run(change.kind, change.key, JSON.stringify(change.record));
        return;
      case 'delete':
        s.delete.run(change.kind, change.key);
        return;
      case 'link':
        s.link.run(change.link.kind, change.link.from, change.link.to);
        return;
      case 'unlink':
        s.unlink.run(change.link.kind, change.link.from, change.link.to);
        return;
      case 'logging':
        s.logging.run(JSON.stringify(change.options));
        return;
    }
  }
}

export const REGISTRY_MIGRATION = {
  version: 1,
  name: 'registry',
  sql: `
    CREATE TABLE registry_records (kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, key));
    CREATE TABLE registry_links (kind TEXT NOT NULL, from_key TEXT NOT NULL, to_key TEXT NOT NULL, PRIMARY KEY (kind, from_key, to_key));
    CREATE INDEX registry_links_to ON registry_links (kind, to_key);
    CREATE TABLE registry_settings (name TEXT PRIMARY KEY, data TEXT NOT NULL);
  `,
};
