import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WardenError } from '../core/errors.ts';
import { MIGRATIONS } from '../service/migrations.ts';
import { openSqlite } from '../store/sqlite-database.ts';
import { keyPairProblems } from './api-key.ts';
import { SqliteKeyStore } from './key-store.ts';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);

function store() {
  return new SqliteKeyStore(openSqlite(':memory:', MIGRATIONS));
}

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WardenError);
    return { code: error.code, message: error.message };
  }
  return assert.fail('Expected a refusal');
}

describe('SqliteKeyStore', () => {
  test('creates a key whose secret is found by its id and never listed', () => {
    const keys = store();
    const key = keys.create('ci', 'read-only', NOW);
    assert.match(key.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.deepEqual(keyPairProblems(key.accessKeyId, key.secretAccessKey), []);
    assert.deepEqual(keys.findActive(key.accessKeyId), key);
    assert.deepEqual(keys.list(), [
      { accessKeyId: key.accessKeyId, name: 'ci', policy: 'read-only', createdAt: NOW },
    ]);
  });

  test('gives every key a different pair', () => {
    const keys = store();
    const pairs = ['a', 'b', 'c'].map((name) => keys.create(name, 'admin', NOW));
    assert.equal(new Set(pairs.map((key) => key.accessKeyId)).size, 3);
    assert.equal(new Set(pairs.map((key) => key.secretAccessKey)).size, 3);
  });

  test('a revoked key is no longer found and cannot be revoked twice', () => {
    const keys = store();
    const key = keys.create('temporary', 'operator', NOW);
    assert.equal(keys.revoke(key.accessKeyId, NOW + 1000).revokedAt, NOW + 1000);
    assert.equal(keys.findActive(key.accessKeyId), undefined);
    assert.equal(keys.list()[0]?.revokedAt, NOW + 1000);
    assert.deepEqual(
      refusal(() => keys.revoke('temporary', NOW)),
      {
        code: 'ResourceNotFoundException',
        message: 'No active key is named "temporary" or has that access key id',
      },
    );
  });

  test('refuses a taken or invalid name', () => {
    const keys = store();
    keys.create('ci', 'read-only', NOW);
    assert.deepEqual(
      refusal(() => keys.create('ci', 'admin', NOW)),
      {
        code: 'ResourceAlreadyExistsException',
        message: 'Key "ci" already exists (revoked keys keep their name): choose another name',
      },
    );
    assert.deepEqual(
      refusal(() => keys.create('has space', 'admin', NOW)),
      {
        code: 'InvalidRequestException',
        message: 'Key name "has space" is invalid: use 1-64 letters, digits, "_", "." or "-"',
      },
    );
  });
});

describe('keyPairProblems', () => {
  test('names each problem of a configured pair', () => {
    assert.deepEqual(keyPairProblems('short', 'tiny'), [
      'Access key id "short" is invalid: use 16-128 upper-case letters and digits',
      'Secret access key is invalid: use at least 16 characters without spaces',
    ]);
    assert.deepEqual(keyPairProblems('AKIAEXAMPLE000000001', 'a secret with spaces'), [
      'Secret access key is invalid: use at least 16 characters without spaces',
    ]);
  });
});
