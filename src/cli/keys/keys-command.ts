/**
 * `warden keys`: creates, lists and revokes the API keys of a Warden data directory. It works on
 * the store directly, so it needs no running Warden and no key of its own. A running Warden
 * applies a new or revoked key from its next request on.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WardenError } from '../../core/errors.ts';
import { isKeyPolicy, KEY_POLICIES, type ApiKeySummary } from '../../keys/api-key.ts';
import { formatCredentialsProfile } from '../../keys/credentials-file.ts';
import { SqliteKeyStore } from '../../keys/key-store.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { renderTable } from '../audit/text-table.ts';

export const KEYS_USAGE = `Usage: warden keys <command> [--data-dir DIR]

Manages the API keys of a Warden data directory (WARDEN_DATA_DIR, default ./warden-data).

Commands:
  create --name NAME --policy POLICY   create a key and print its secret, once, as a profile
                                       of an AWS credentials file
  list [--format table|json]           list keys without their secrets
  revoke NAME_OR_ACCESS_KEY_ID         revoke a key; requests signed with it are refused at once

Policies: read-only (Describe, List, Get), operator (also runs audits, mitigation tasks,
suppressions, things and certificates), admin (also changes the security setup).`;

export interface KeysCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

/** Runs the command; exit 0 done, 1 refused (name taken, no such key), 2 usage error. */
export async function runKeysCommand(argv: readonly string[], io: KeysCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'data-dir': { type: 'string' },
        name: { type: 'string' },
        policy: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout.write(`${KEYS_USAGE}\n`);
    return 0;
  }

  const dataDir = path.resolve(values['data-dir'] ?? io.env['WARDEN_DATA_DIR'] ?? './warden-data');
  const database = path.join(dataDir, 'warden.db');
  const [command, ...rest] = positionals;
  const problem = argumentProblem(command, rest, values);
  if (problem !== undefined) return usageError(io, problem);
  if (!existsSync(database)) {
    io.stderr.write(
      `No Warden database at "${database}": start "warden serve --data-dir ${dataDir}" once first\n`,
    );
    return 2;
  }

  const db = openSqlite(database, MIGRATIONS);
  try {
    const store = new SqliteKeyStore(db);
    const now = io.now?.() ?? Date.now();
    io.stdout.write(run(store, command!, rest, values, now));
    return 0;
  } catch (error) {
    if (!(error instanceof WardenError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  } finally {
    db.close();
  }
}

type Values = { name?: string; policy?: string; format?: string };

function argumentProblem(
  command: string | undefined,
  rest: string[],
  values: Values,
): string | undefined {
  switch (command) {
    case 'create':
      if (rest.length > 0) return `Unexpected argument "${rest[0]}"`;
      if (values.name === undefined) return 'Missing "--name NAME"';
      if (values.policy === undefined) return 'Missing "--policy POLICY"';
      if (!isKeyPolicy(values.policy)) {
        return `Invalid value "${values.policy}" for "--policy": must be ${KEY_POLICIES.join(', ')}`;
      }
      return undefined;
    case 'list':
      if (rest.length > 0) return `Unexpected argument "${rest[0]}"`;
      if (values.format !== undefined && !['table', 'json'].includes(values.format)) {
        return `Invalid value "${values.format}" for "--format": must be table or json`;
      }
      return undefined;
    case 'revoke':
      if (rest.length !== 1) return 'Give exactly one key name or access key id to revoke';
      return undefined;
    case undefined:
      return 'Missing command: create, list or revoke';
    default:
      return `Unknown command "${command}": use create, list or revoke`;
  }
}

function run(
  store: SqliteKeyStore,
  command: string,
  rest: string[],
  values: Values,
  now: number,
): string {
  if (command === 'create') {
    const key = store.create(values.name!, values.policy as ApiKeySummary['policy'], now);
    return [
      `Created key "${key.name}" (${key.policy}). The secret is shown only this once; add the`,
      'profile below to an AWS credentials file, or export the two values as AWS_ACCESS_KEY_ID',
      'and AWS_SECRET_ACCESS_KEY.',
      '',
      formatCredentialsProfile(key.name, key),
    ].join('\n');
  }
  if (command === 'revoke') {
    const key = store.revoke(rest[0]!, now);
    return `Revoked key "${key.name}" (${key.accessKeyId})\n`;
  }
  const keys = store.list();
  if (values.format === 'json') return `${JSON.stringify(keys.map(keyJson), null, 2)}\n`;
  if (keys.length === 0) return 'No keys besides the root key\n';
  const columns = ['NAME', 'ACCESS KEY ID', 'POLICY', 'CREATED', 'STATUS'].map((header) => ({
    header,
  }));
  const rows = keys.map((key) => {
    const status = key.revokedAt === undefined ? 'active' : `revoked ${iso(key.revokedAt)}`;
    return [key.name, key.accessKeyId, key.policy, iso(key.createdAt), status];
  });
  return `${renderTable(columns, rows, { colour: false }).join('\n')}\n`;
}

function keyJson(key: ApiKeySummary) {
  return {
    name: key.name,
    accessKeyId: key.accessKeyId,
    policy: key.policy,
    createdAt: iso(key.createdAt),
    status: key.revokedAt === undefined ? 'active' : 'revoked',
    ...(key.revokedAt === undefined ? {} : { revokedAt: iso(key.revokedAt) }),
  };
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function usageError(io: KeysCommandIo, message: string): number {
  io.stderr.write(`${message}\n\nRun "warden keys --help" for usage.\n`);
  return 2;
}
