import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import {
  createRoleAlias,
  deleteRoleAlias,
  listRoleAliases,
  requireRoleAlias,
  updateRoleAlias,
} from './role-aliases.ts';
import { freshRegistry, rejects } from './test-api.ts';

const ROLE = 'arn:aws:iam::123456789012:role/fleet-device';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/service-role/fleet-uploader';
const ALIAS_ARN = 'arn:aws:iot:us-east-1:123456789012:rolealias/uploader';

describe('role alias operations', () => {
  test('creates an alias with the default credential duration', async () => {
    const clock = new FakeClock();
    const registry = await freshRegistry(clock);
    const record = await createRoleAlias(registry, { roleAlias: 'uploader', roleArn: ROLE });
    assert.deepEqual(record, {
      roleAlias: 'uploader',
      roleAliasArn: ALIAS_ARN,
      roleArn: ROLE,
      credentialDurationSeconds: 3600,
      createdAt: clock.now(),
      lastModifiedAt: clock.now(),
      tags: [],
    });
  });

  test('rejects a second alias with the same name', async () => {
    const registry = await freshRegistry();
    await createRoleAlias(registry, { roleAlias: 'uploader', roleArn: ROLE });
    await assert.rejects(
      createRoleAlias(registry, { roleAlias: 'uploader', roleArn: ROLE }),
      (error: unknown) => {
        rejects('ResourceAlreadyExistsException', 'Role alias "uploader" already exists')(error);
        assert.deepEqual((error as { fields: unknown }).fields, {
          resourceId: 'uploader',
          resourceArn: ALIAS_ARN,
        });
        return true;
      },
    );
  });

  test('reports a missing alias on describe, update and delete', async () => {
    const registry = await freshRegistry();
    const missing = rejects('ResourceNotFoundException', 'Role alias "ghost" does not exist');
    assert.throws(() => requireRoleAlias(registry, 'ghost'), missing);
    await assert.rejects(updateRoleAlias(registry, 'ghost', { roleArn: ROLE }), missing);
    await assert.rejects(deleteRoleAlias(registry, 'ghost'), missing);
  });

  test('update keeps the creation time and changes only what it sets', async () => {
    const clock = new FakeClock();
    const registry = await freshRegistry(clock);
    const created = await createRoleAlias(registry, {
      roleAlias: 'uploader',
      roleArn: ROLE,
      credentialDurationSeconds: 900,
      tags: [{ Key: 'team', Value: 'fleet' }],
    });
    clock.advance(60_000);

    const moved = await updateRoleAlias(registry, 'uploader', { roleArn: OTHER_ROLE });
    assert.equal(moved.roleArn, OTHER_ROLE);
    assert.equal(moved.credentialDurationSeconds, 900);
    assert.equal(moved.createdAt, created.createdAt);
    assert.equal(moved.lastModifiedAt, created.createdAt + 60_000);
    assert.deepEqual(moved.tags, [{ Key: 'team', Value: 'fleet' }]);

    const longer = await updateRoleAlias(registry, 'uploader', { credentialDurationSeconds: 7200 });
    assert.equal(longer.roleArn, OTHER_ROLE);
    assert.equal(longer.credentialDurationSeconds, 7200);
  });

  test('lists names descending by default and ascending on request', async () => {
    const registry = await freshRegistry();
    for (const name of ['beta', 'Alpha', 'gamma', 'alpha']) {
      await createRoleAlias(registry, { roleAlias: name, roleArn: ROLE });
    }
    const names = (ascending: boolean) =>
      listRoleAliases(registry, ascending).map((record) => record.roleAlias);
    assert.deepEqual(names(true), ['Alpha', 'alpha', 'beta', 'gamma']);
    assert.deepEqual(names(false), ['gamma', 'beta', 'alpha', 'Alpha']);
  });

  test('keeps aliases across a reload of the store', async () => {
    const db = openSqlite(':memory:', MIGRATIONS);
    const first = await freshRegistry(new FakeClock(), db);
    await createRoleAlias(first, { roleAlias: 'uploader', roleArn: ROLE });
    const second = await freshRegistry(new FakeClock(), db);
    assert.equal(requireRoleAlias(second, 'uploader').roleArn, ROLE);
    await deleteRoleAlias(second, 'uploader');
    const third = await freshRegistry(new FakeClock(), db);
    assert.equal(third.get('roleAlias', 'uploader'), undefined);
  });
});
