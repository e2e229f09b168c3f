import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS } from '../service/migrations.ts';
import { BatchWriter, WorkerBatchWriter } from './batch-writer.ts';
import { SqliteMitigationStore } from './sqlite-mitigation-store.ts';
import { openSqlite } from './sqlite-database.ts';

function database() {
  return openSqlite(':memory:', [
    {
      version: 1,
      name: 'items',
      sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)',
    },
  ]);
}

test('batch writer commits writes of one tick in one transaction', async () => {
  const db = database();
  const writer = new BatchWriter(db);
  let transactions = 0;
  const original = db.transaction.bind(db);
  db.transaction = ((fn: () => void) => {
    transactions++;
    return original(fn);
  }) as typeof db.transaction;

  await Promise.all(
    Array.from({ length: 50 }, (_, index) =>
      writer.write([['INSERT INTO items (name) VALUES (?)', [`item-${index}`]]]),
    ),
  );
  assert.equal(transactions, 1);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n, 50);
});

test('batch writer fails only the write that failed', async () => {
  const db = database();
  const writer = new BatchWriter(db);
  const results = await Promise.allSettled([
    writer.write([['INSERT INTO items (id, name) VALUES (?, ?)', [1, 'a']]]),
    writer.write([['INSERT INTO items (id, name) VALUES (?, ?)', [1, 'duplicate']]]),
    writer.write([['INSERT INTO items (id, name) VALUES (?, ?)', [2, 'b']]]),
  ]);
  assert.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(db.prepare('SELECT id, name FROM items ORDER BY id').all(), [
    { id: 1, name: 'a' },
    { id: 2, name: 'b' },
  ]);
});

test('openSqlite refuses a database from a newer schema', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-schema-'));
  const file = path.join(dir, 'warden.db');
  const migrations = [
    { version: 1, name: 'items', sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY)' },
  ];
  const db = openSqlite(file, migrations);
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, ?, 0)').run(
    'future',
  );
  db.close();

  assert.throws(() => openSqlite(file, migrations), {
    message: 'Database schema version 7 is newer than this Warden supports (1); upgrade Warden',
  });
  rmSync(dir, { recursive: true, force: true });
});

test('worker writer commits to the file and fails only the bad write', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-writer-'));
  const file = path.join(dir, 'warden.db');
  const db = openSqlite(file, [
    {
      version: 1,
      name: 'items',
      sql: 'CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)',
    },
  ]);
  const writer = new WorkerBatchWriter(file);
  const insert = 'INSERT INTO items (id, name) VALUES (?, ?)';
  const results = await Promise.allSettled([
    writer.write([[insert, [1, 'a']]]),
    writer.write([[insert, [1, 'duplicate']]]),
    writer.write([[insert, [2, 'b']]]),
  ]);
  assert.deepEqual(
    results.map((result) => result.status),
    ['fulfilled', 'rejected', 'fulfilled'],
  );
  assert.deepEqual(db.prepare('SELECT id, name FROM items ORDER BY id').all(), [
    { id: 1, name: 'a' },
    { id: 2, name: 'b' },
  ]);
  await writer.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('mitigation store prunes executions that started before the cutoff', async () => {
  const store = new SqliteMitigationStore(openSqlite(':memory:', MIGRATIONS));
  const target = {
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject: {},
  };
  for (const [executionId, startTime] of [
    ['old', 1_000],
    ['new', 5_000],
  ] as const) {
    await store.putExecution({
      executionId,
      source: { kind: 'manual', reason: 'test' },
      actionName: 'a',
      actionId: 'id',
      actionType: 'DISCONNECT_CLIENT',
      target,
      status: 'COMPLETED',
      dryRun: false,
      startTime,
    });
  }
  assert.equal(await store.pruneExecutions(2_000), 1);
  assert.deepEqual(
    (await store.listExecutions({})).map((execution) => execution.executionId),
    ['new'],
  );
});
