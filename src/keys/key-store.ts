/**
 * The API keys beside the root key, in the SQLite store. The CLI (`warden keys`) writes them and
 * a running Warden reads them on each request, so a revoked key stops working at once.
 */

import { WardenError } from '../core/errors.ts';
import type { SqliteHandle } from '../store/sqlite-database.ts';
import { generateKeyPair, type ApiKey, type ApiKeySummary, type KeyPolicy } from './api-key.ts';

export const KEYS_MIGRATION = {
  version: 6,
  name: 'api keys',
  sql: `
    CREATE TABLE api_keys (
      access_key_id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      policy TEXT NOT NULL,
      secret TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER
    );
  `,
};

const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const RESERVED_NAMES = new Set(['root', 'warden']);

interface KeyRow {
  access_key_id: string;
  name: string;
  policy: KeyPolicy;
  secret: string;
  created_at: number;
  revoked_at: number | null;
}

export class SqliteKeyStore {
  constructor(private readonly db: SqliteHandle) {}

  /**
   * Creates a key with a fresh pair; the only time the secret is handed out.
   * @throws WardenError InvalidRequestException for a bad name, ResourceAlreadyExistsException
   *   when the name is taken.
   */
  create(name: string, policy: KeyPolicy, now: number): ApiKey {
    if (!KEY_NAME.test(name)) {
      throw new WardenError(
        'InvalidRequestException',
        `Key name "${name}" is invalid: use 1-64 letters, digits, "_", "." or "-"`,
      );
    }
    if (RESERVED_NAMES.has(name)) {
      throw new WardenError(
        'InvalidRequestException',
        `Key name "${name}" is reserved for the root key and its credentials profile`,
      );
    }
    if (this.byName(name) !== undefined) {
      const message = `Key "${name}" already exists (revoked keys keep their name): choose another name`;
      throw new WardenError('ResourceAlreadyExistsException', message, {
        fields: { resourceId: name },
      });
    }
    const pair = generateKeyPair();
    this.db
      .prepare(
        'INSERT INTO api_keys (access_key_id, name, policy, secret, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(pair.accessKeyId, name, policy, pair.secretAccessKey, now);
    return { ...pair, name, policy, createdAt: now };
  }

  /** Lists every key, newest first, without secrets. */
  list(): ApiKeySummary[] {
    const rows = this.db
      .prepare('SELECT * FROM api_keys ORDER BY created_at DESC, name')
      .all() as KeyRow[];
    return rows.map((row) => {
      const { secretAccessKey: _secret, ...summary } = fromRow(row);
      return summary;
    });
  }

  /** Finds a key that is not revoked by its access key id. */
  findActive(accessKeyId: string): ApiKey | undefined {
    const row = this.db
      .prepare('SELECT * FROM api_keys WHERE access_key_id = ? AND revoked_at IS NULL')
      .get(accessKeyId) as KeyRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  /**
   * Revokes a key by name or access key id; revoking twice is refused so typos show.
   * @throws WardenError ResourceNotFoundException when no active key matches.
   */
  revoke(nameOrId: string, now: number): ApiKeySummary {
    const key = this.byName(nameOrId) ?? this.byId(nameOrId);
    if (key === undefined || key.revokedAt !== undefined) {
      throw new WardenError(
        'ResourceNotFoundException',
        `No active key is named "${nameOrId}" or has that access key id`,
      );
    }
    this.db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE access_key_id = ?')
      .run(now, key.accessKeyId);
    const { secretAccessKey: _secret, ...summary } = key;
    return { ...summary, revokedAt: now };
  }

  private byName(name: string): ApiKey | undefined {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE name = ?').get(name) as
      KeyRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  private byId(accessKeyId: string): ApiKey | undefined {
    const row = this.db
      .prepare('SELECT * FROM api_keys WHERE access_key_id = ?')
      .get(accessKeyId) as KeyRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }
}

function fromRow(row: KeyRow): ApiKey {
  const key: ApiKey = {
    accessKeyId: row.access_key_id,
    secretAccessKey: row.secret,
    name: row.name,
    policy: row.policy,
    createdAt: row.created_at,
  };
  if (row.revoked_at !== null) key.revokedAt = row.revoked_at;
  return key;
}
