import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { rejects } from '../../registry/iam/test-api.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { SqliteMitigationStore } from '../../store/sqlite-mitigation-store.ts';
import { MAX_MITIGATION_ACTIONS, MitigationActions } from './mitigation-actions.ts';

const ROLE = 'arn:aws:iam::123456789012:role/mitigation';
const QUARANTINE = { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } };
const DEACTIVATE = { updateDeviceCertificateParams: { action: 'DEACTIVATE' as const } };

function freshActions(clock = new FakeClock()) {
  const store = new SqliteMitigationStore(openSqlite(':memory:', MIGRATIONS));
  return {
    clock,
    store,
    actions: new MitigationActions(store, clock, {
      region: 'eu-west-1',
      accountId: '210987654321',
    }),
  };
}

describe('mitigation action definitions', () => {
  test('creates an action with a UUID, its type and the account ARN', async () => {
    const { actions, clock } = freshActions();
    const created = await actions.create({
      actionName: 'quarantine',
      roleArn: ROLE,
      actionParams: QUARANTINE,
      tags: [{ Key: 'team', Value: 'security' }, { Key: 'flag' }],
    });

    assert.match(
      created.actionId,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(created.actionType, 'ADD_THINGS_TO_THING_GROUP');
    assert.deepEqual(created.tags, [{ Key: 'team', Value: 'security' }, { Key: 'flag' }]);
    assert.equal(created.createdAt, clock.now());
    assert.equal(
      actions.arnOf('quarantine'),
      'arn:aws:iot:eu-west-1:210987654321:mitigationaction/quarantine',
    );
    assert.deepEqual(await actions.require('quarantine'), created);
  });

  test('rejects a second action with the same name', async () => {
    const { actions } = freshActions();
    const first = await actions.create({
      actionName: 'a',
      roleArn: ROLE,
      actionParams: QUARANTINE,
    });
    await assert.rejects(
      actions.create({ actionName: 'a', roleArn: ROLE, actionParams: DEACTIVATE }),
      (error: unknown) => {
        rejects('ResourceAlreadyExistsException', 'Mitigation action "a" already exists')(error);
        assert.deepEqual((error as { fields: unknown }).fields, {
          resourceId: first.actionId,
          resourceArn: 'arn:aws:iot:eu-west-1:210987654321:mitigationaction/a',
        });
        return true;
      },
    );
  });

  test('two concurrent creates of one name store one action', async () => {
    const { actions } = freshActions();
    const results = await Promise.allSettled([
      actions.create({ actionName: 'same', roleArn: ROLE, actionParams: QUARANTINE }),
      actions.create({ actionName: 'same', roleArn: ROLE, actionParams: DEACTIVATE }),
    ]);
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 1);
    assert.equal(results[1]?.status, 'rejected');
    assert.equal((await actions.list()).length, 1);
  });

  test('rejects the action past the 100-action limit', async () => {
    const { actions } = freshActions();
    for (let index = 0; index < MAX_MITIGATION_ACTIONS; index++)
      await actions.create({ actionName: `a-${index}`, roleArn: ROLE, actionParams: QUARANTINE });
    await assert.rejects(
      actions.create({ actionName: 'one-more', roleArn: ROLE, actionParams: QUARANTINE }),
      rejects(
        'LimitExceededException',
        'Cannot create mitigation action "one-more": 100 actions exist, the maximum; delete one first',
      ),
    );
    await actions.delete('a-0');
    await actions.create({ actionName: 'one-more', roleArn: ROLE, actionParams: QUARANTINE });
  });

  test('rejects invalid parameters before storing anything', async () => {
    const { actions } = freshActions();
    await assert.rejects(
      actions.create({ actionName: 'none', roleArn: ROLE, actionParams: {} }),
      rejects(
        'InvalidRequestException',
        'Invalid actionParams: must set exactly one member, found none',
      ),
    );
    assert.deepEqual(await actions.list(), []);
  });

  test('updates the role and parameters, possibly to another type', async () => {
    const { actions, clock } = freshActions();
    const created = await actions.create({
      actionName: 'a',
      roleArn: ROLE,
      actionParams: QUARANTINE,
    });
    clock.advance(5000);

    const updated = await actions.update('a', {
      roleArn: 'arn:aws:iam::123456789012:role/other',
      actionParams: DEACTIVATE,
    });

    assert.equal(updated.actionId, created.actionId);
    assert.equal(updated.actionType, 'UPDATE_DEVICE_CERTIFICATE');
    assert.equal(updated.roleArn, 'arn:aws:iam::123456789012:role/other');
    assert.deepEqual(updated.actionParams, DEACTIVATE);
    assert.equal(updated.createdAt, created.createdAt);
    assert.equal(updated.lastModifiedAt, created.createdAt + 5000);
    assert.deepEqual(await actions.require('a'), updated);
  });

  test('update and require of an unknown action fail with ResourceNotFoundException', async () => {
    const { actions } = freshActions();
    await assert.rejects(
      actions.update('ghost', { roleArn: ROLE }),
      rejects('ResourceNotFoundException', 'Mitigation action "ghost" does not exist'),
    );
    await assert.rejects(
      actions.require('ghost'),
      rejects('ResourceNotFoundException', 'Mitigation action "ghost" does not exist'),
    );
  });

  test('lists by name and by type; delete of an unknown action succeeds', async () => {
    const { actions } = freshActions();
    await actions.create({ actionName: 'b', roleArn: ROLE, actionParams: QUARANTINE });
    await actions.create({ actionName: 'a', roleArn: ROLE, actionParams: DEACTIVATE });
    await actions.create({
      actionName: 'c',
      roleArn: ROLE,
      actionParams: { disconnectClientParams: {} },
    });

    assert.deepEqual(
      (await actions.list()).map((action) => action.actionName),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      (await actions.list('DISCONNECT_CLIENT')).map((action) => action.actionName),
      ['c'],
    );
    await actions.delete('b');
    await actions.delete('never-existed');
    assert.deepEqual(
      (await actions.list()).map((action) => action.actionName),
      ['a', 'c'],
    );
  });
});
