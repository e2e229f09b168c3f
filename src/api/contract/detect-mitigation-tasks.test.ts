import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CancelDetectMitigationActionsTaskCommand,
  DescribeDetectMitigationActionsTaskCommand,
  ListDetectMitigationActionsExecutionsCommand,
  ListDetectMitigationActionsTasksCommand,
  paginateListDetectMitigationActionsExecutions,
  paginateListDetectMitigationActionsTasks,
  StartDetectMitigationActionsTaskCommand,
} from '@aws-sdk/client-iot';
import type { Violation } from '../../detect/detect-records.ts';
import type { TestApi } from '../../registry/iam/test-api.ts';
import { thingsInGroup } from '../../registry/thing-groups.ts';
import {
  createMitigationFixture,
  createNotifyAction,
  createQuarantineAction,
  portsBehavior,
  QUARANTINE,
  seedProfile,
  seedViolation,
  startMitigationApi,
  TEST_ROLE,
  type MitigationFixture,
} from '../../mitigate/tasks/test-mitigation.ts';
import { ContractClient } from './contract-client.ts';

const HOUR = 3600_000;

// NOTE: the suite serves the mitigation routes from its own server, because the Warden service
// does not serve them yet.
describe('detect mitigation tasks through the AWS SDK', () => {
  let fixture: MitigationFixture;
  let api: TestApi;
  let iot: ContractClient;
  const violations: Violation[] = [];
  let startedAt = 0;

  before(async () => {
    fixture = await createMitigationFixture();
    api = await startMitigationApi(fixture);
    iot = new ContractClient(api.endpoint);
    await createQuarantineAction(fixture);
    await createNotifyAction(fixture);
    const profile = await seedProfile(fixture, 'ports', [portsBehavior('ports')]);
    for (let index = 0; index < 4; index++) {
      violations.push(
        await seedViolation(fixture, {
          thingName: `sensor-${index}`,
          profile,
          behaviorName: 'ports',
          startTime: fixture.clock.now() - (4 - index) * HOUR,
        }),
      );
    }
    startedAt = fixture.clock.now();
  });

  after(async () => {
    iot?.sdk.destroy();
    await api?.close();
  });

  test('starts a task on a profile, describes it and lists its executions', async () => {
    const range = { startTime: new Date(startedAt - 5 * HOUR), endTime: new Date(startedAt) };
    const started = await iot.send(
      new StartDetectMitigationActionsTaskCommand({
        taskId: 'profile-task',
        target: { securityProfileName: 'ports', behaviorName: 'ports' },
        actions: ['quarantine'],
        violationEventOccurrenceRange: range,
        includeOnlyActiveViolations: true,
        clientRequestToken: 'profile-task-1',
      }),
    );
    assert.equal(started.taskId, 'profile-task');
    await fixture.detectTasks.finished('profile-task');

    const { taskSummary } = await iot.send(
      new DescribeDetectMitigationActionsTaskCommand({ taskId: 'profile-task' }),
    );
    assert.equal(taskSummary?.taskId, 'profile-task');
    assert.equal(taskSummary?.taskStatus, 'SUCCESSFUL');
    assert.equal(taskSummary?.taskStartTime?.getTime(), startedAt);
    assert.ok((taskSummary?.taskEndTime?.getTime() ?? 0) > startedAt);
    assert.deepEqual(taskSummary?.target, { securityProfileName: 'ports', behaviorName: 'ports' });
    assert.deepEqual(taskSummary?.violationEventOccurrenceRange, range);
    assert.equal(taskSummary?.onlyActiveViolationsIncluded, true);
    assert.equal(taskSummary?.suppressedAlertsIncluded, false);
    assert.deepEqual(taskSummary?.taskStatistics, {
      actionsExecuted: 4,
      actionsSkipped: 0,
      actionsFailed: 0,
    });
    const quarantine = await fixture.actions.require('quarantine');
    assert.deepEqual(taskSummary?.actionsDefinition, [
      {
        name: 'quarantine',
        id: quarantine.actionId,
        roleArn: TEST_ROLE,
        actionParams: quarantine.actionParams,
      },
    ]);
    assert.deepEqual(thingsInGroup(fixture.registry, QUARANTINE, false), [
      'sensor-0',
      'sensor-1',
      'sensor-2',
      'sensor-3',
    ]);

    const listed = await iot.send(
      new ListDetectMitigationActionsExecutionsCommand({
        taskId: 'profile-task',
        thingName: 'sensor-2',
      }),
    );
    assert.equal(listed.actionsExecutions?.length, 1);
    const execution = listed.actionsExecutions?.[0];
    assert.equal(execution?.taskId, 'profile-task');
    assert.equal(execution?.violationId, violations[2]?.violationId);
    assert.equal(execution?.actionName, 'quarantine');
    assert.equal(execution?.thingName, 'sensor-2');
    assert.equal(execution?.status, 'SUCCESSFUL');
    assert.ok(execution?.executionStartDate instanceof Date);
    assert.ok(execution?.executionEndDate instanceof Date);
  });

  test('pages through executions by time', async () => {
    const seen: string[] = [];
    for await (const page of paginateListDetectMitigationActionsExecutions(
      { client: iot.sdk, pageSize: 3 },
      { startTime: new Date(startedAt), endTime: new Date(fixture.clock.now() + 1000) },
    )) {
      for (const item of page.actionsExecutions ?? []) seen.push(item.thingName ?? '');
    }
    assert.deepEqual(seen, ['sensor-0', 'sensor-1', 'sensor-2', 'sensor-3']);

    await iot.expectError(
      iot.send(
        new ListDetectMitigationActionsExecutionsCommand({
          taskId: 'profile-task',
          startTime: new Date(startedAt),
          endTime: new Date(startedAt + HOUR),
        }),
      ),
      'InvalidRequestException',
      'Give either taskId or startTime and endTime, not both and not neither',
    );
  });

  test('a retry returns the task; another token or a bad target is rejected', async () => {
    const request = {
      taskId: 'named',
      target: { violationIds: [violations[0]?.violationId ?? ''] },
      actions: ['notify'],
      clientRequestToken: 'named-1',
    };
    await iot.send(new StartDetectMitigationActionsTaskCommand(request));
    await fixture.detectTasks.finished('named');
    assert.equal(
      (await iot.send(new StartDetectMitigationActionsTaskCommand(request))).taskId,
      'named',
    );
    await iot.expectError(
      iot.send(
        new StartDetectMitigationActionsTaskCommand({ ...request, clientRequestToken: 'named-2' }),
      ),
      'TaskAlreadyExistsException',
      'Detect mitigation task "named" already exists with another clientRequestToken; choose another taskId',
    );
    await iot.expectError(
      iot.send(
        new StartDetectMitigationActionsTaskCommand({
          taskId: 'both-forms',
          target: {
            violationIds: [violations[0]?.violationId ?? ''],
            securityProfileName: 'ports',
          },
          actions: ['notify'],
        }),
      ),
      'InvalidRequestException',
      'Invalid target: give violationIds alone, or securityProfileName with an optional behaviorName',
    );
    await iot.expectError(
      iot.send(new DescribeDetectMitigationActionsTaskCommand({ taskId: 'ghost' })),
      'ResourceNotFoundException',
      'Detect mitigation task "ghost" does not exist',
    );
  });

  test('the sixth running task is rejected with LimitExceededException', async () => {
    const first = fixture.mitigator.startedCount + 1;
    const gates = Array.from({ length: 5 }, (_, index) => fixture.mitigator.pauseAt(first + index));
    const start = (taskId: string) =>
      iot.send(
        new StartDetectMitigationActionsTaskCommand({
          taskId,
          target: { violationIds: [violations[1]?.violationId ?? ''] },
          actions: ['notify'],
        }),
      );
    for (let index = 0; index < 5; index++) {
      await start(`busy-${index}`);
      await gates[index]?.reached;
    }
    await iot.expectError(
      start('one-too-many'),
      'LimitExceededException',
      '5 detect mitigation tasks are already in progress, the maximum; wait for one to finish or cancel one',
    );

    await iot.send(new CancelDetectMitigationActionsTaskCommand({ taskId: 'busy-0' }));
    for (const gate of gates) gate.release();
    for (let index = 0; index < 5; index++) await fixture.detectTasks.finished(`busy-${index}`);
    const { taskSummary } = await iot.send(
      new DescribeDetectMitigationActionsTaskCommand({ taskId: 'busy-0' }),
    );
    assert.equal(taskSummary?.taskStatus, 'CANCELED');
    assert.equal(taskSummary?.taskStatistics?.actionsExecuted, 1);
    await iot.expectError(
      iot.send(new CancelDetectMitigationActionsTaskCommand({ taskId: 'busy-0' })),
      'InvalidRequestException',
      'Cannot cancel detect mitigation task "busy-0": it is CANCELED',
    );
    await iot.expectError(
      iot.send(new CancelDetectMitigationActionsTaskCommand({ taskId: 'ghost' })),
      'ResourceNotFoundException',
      'Detect mitigation task "ghost" does not exist',
    );
  });

  test('lists task summaries that started in the window', async () => {
    const listed = await iot.send(
      new ListDetectMitigationActionsTasksCommand({
        startTime: new Date(startedAt),
        endTime: new Date(fixture.clock.now() + 1000),
        maxResults: 250,
      }),
    );
    const ids = listed.tasks?.map((task) => task.taskId) ?? [];
    const paged: string[] = [];
    for await (const page of paginateListDetectMitigationActionsTasks(
      { client: iot.sdk, pageSize: 2 },
      { startTime: new Date(startedAt), endTime: new Date(fixture.clock.now() + 1000) },
    )) {
      for (const task of page.tasks ?? []) paged.push(task.taskId ?? '');
    }
    assert.deepEqual(paged, ids);
    assert.deepEqual([...ids].sort(), [
      'busy-0',
      'busy-1',
      'busy-2',
      'busy-3',
      'busy-4',
      'named',
      'profile-task',
    ]);
    assert.equal(ids.at(-1), 'profile-task');
    const empty = await iot.send(
      new ListDetectMitigationActionsTasksCommand({
        startTime: new Date(startedAt - 2 * HOUR),
        endTime: new Date(startedAt - HOUR),
      }),
    );
    assert.deepEqual(empty.tasks, []);
  });
});
