import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { WardenError } from '../../core/errors.ts';
import { silentLogger } from '../../core/logger.ts';
import { MIGRATIONS } from '../../service/migrations.ts';
import { openSqlite } from '../../store/sqlite-database.ts';
import { SqliteMitigationStore } from '../../store/sqlite-mitigation-store.ts';
import type { MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import type { Mitigator } from '../mitigator.ts';
import type { TaskControl } from './running-tasks.ts';
import { TaskRunner, type TaskUnit } from './task-runner.ts';

const TARGET: MitigationTarget = {
  certificateIds: [],
  caCertificateIds: [],
  thingNames: ['sensor-1'],
  clientIds: [],
  policyNames: [],
  sourceIps: [],
  subject: { violationId: 'v-1' },
};

function action(actionName: string): MitigationAction {
  return {
    actionName,
    actionId: `${actionName}-id`,
    actionType: 'DISCONNECT_CLIENT',
    roleArn: 'arn:aws:iam::123456789012:role/mitigation',
    actionParams: { disconnectClientParams: {} },
    tags: [],
    createdAt: 0,
    lastModifiedAt: 0,
  };
}

function unit(actions: MitigationAction[]): TaskUnit {
  return {
    id: 'v-1',
    noun: 'violation',
    source: { kind: 'violation', violationId: 'v-1', securityProfileName: 'p', behaviorName: 'b' },
    actions,
    resolveTarget: () => TARGET,
    placeholder: TARGET,
  };
}

/** Builds a mitigator whose every execution throws the given error. */
function throwingMitigator(error: unknown): Mitigator {
  return {
    execute: () => Promise.reject(error),
    rollback: () => Promise.reject(new Error('Rollback is not tested')),
  };
}

describe('task runner', () => {
  test('a mitigator that throws yields one FAILED record with the error code', async () => {
    const cases: [unknown, string, string][] = [
      [
        new WardenError('CertificateStateException', 'Certificate "ab" is revoked'),
        'CertificateStateException',
        'Certificate "ab" is revoked',
      ],
      [new Error('Socket closed'), 'InternalFailureException', 'Socket closed'],
    ];
    for (const [error, errorCode, message] of cases) {
      const store = new SqliteMitigationStore(openSqlite(':memory:', MIGRATIONS));
      const runner = new TaskRunner({
        store,
        mitigator: throwingMitigator(error),
        clock: new FakeClock(),
        logger: silentLogger(),
        notStartedStatus: 'SKIPPED',
      });
      const control: TaskControl = { canceled: false, stopping: false, current: undefined };

      const outcome = await runner.runUnit(
        'task-1',
        unit([action('first'), action('second')]),
        control,
      );

      assert.equal(outcome.status, 'FAILED', errorCode);
      assert.deepEqual(
        outcome.executions.map((record) => [
          record.actionName,
          record.status,
          record.errorCode,
          record.message,
        ]),
        [
          ['first', 'FAILED', errorCode, message],
          [
            'second',
            'SKIPPED',
            undefined,
            'Skipped because action "first" failed on this violation',
          ],
        ],
      );
      // Both records share a start time, so the store's order between them is arbitrary.
      const stored = await store.listExecutions({ taskId: 'task-1' });
      for (const record of outcome.executions)
        assert.deepEqual(await store.getExecution(record.executionId), record);
      assert.equal(stored.length, 2);
      assert.deepEqual(outcome.executions[0]?.target, TARGET);
      assert.equal(control.current, undefined);
    }
  });

  test('a unit reached after a cancel records every action as not started', async () => {
    const store = new SqliteMitigationStore(openSqlite(':memory:', MIGRATIONS));
    const runner = new TaskRunner({
      store,
      mitigator: throwingMitigator(new Error('must not run')),
      clock: new FakeClock(),
      logger: silentLogger(),
      notStartedStatus: 'CANCELED',
    });
    const canceled: TaskControl = { canceled: true, stopping: false, current: undefined };
    const stopping: TaskControl = { canceled: true, stopping: true, current: undefined };

    assert.equal((await runner.runUnit('a', unit([action('x')]), canceled)).status, 'CANCELED');
    assert.equal((await runner.runUnit('b', unit([action('x')]), stopping)).status, 'CANCELED');

    const messages = async (taskId: string) =>
      (await store.listExecutions({ taskId })).map((record) => [record.status, record.message]);
    assert.deepEqual(await messages('a'), [
      ['CANCELED', 'Not started because the task was canceled'],
    ]);
    assert.deepEqual(await messages('b'), [['CANCELED', 'Not started because Warden stopped']]);
  });
});
