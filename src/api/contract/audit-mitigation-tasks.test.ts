import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CancelAuditMitigationActionsTaskCommand,
  DescribeAuditMitigationActionsTaskCommand,
  ListAuditMitigationActionsExecutionsCommand,
  ListAuditMitigationActionsTasksCommand,
  paginateListAuditMitigationActionsExecutions,
  paginateListAuditMitigationActionsTasks,
  StartAuditMitigationActionsTaskCommand,
} from '@aws-sdk/client-iot';
import type { StoredFinding } from '../../audit/audit-records.ts';
import type { TestApi } from '../../registry/iam/test-api.ts';
import { thingsInGroup } from '../../registry/thing-groups.ts';
import {
  createMitigationFixture,
  createNotifyAction,
  createQuarantineAction,
  QUARANTINE,
  seedAudit,
  startMitigationApi,
  TEST_ROLE,
  type MitigationFixture,
} from '../../mitigate/tasks/test-mitigation.ts';
import { ContractClient } from './contract-client.ts';

const CHECK = 'DEVICE_CERTIFICATE_EXPIRING_CHECK';

// NOTE: the suite serves the mitigation routes from its own server, because the Warden service
// does not serve them yet.
describe('audit mitigation tasks through the AWS SDK', () => {
  let fixture: MitigationFixture;
  let api: TestApi;
  let iot: ContractClient;
  let auditTaskId = '';
  let findings: StoredFinding[] = [];
  let startedAt = 0;

  before(async () => {
    fixture = await createMitigationFixture();
    api = await startMitigationApi(fixture);
    iot = new ContractClient(api.endpoint);
    await createQuarantineAction(fixture);
    await createNotifyAction(fixture);
    ({ auditTaskId, findings } = await seedAudit(fixture, 6, {
      isSuppressed: (index) => index === 5,
    }));
    startedAt = fixture.clock.now();
  });

  after(async () => {
    iot?.sdk.destroy();
    await api?.close();
  });

  test('starts a task over an audit, describes it and lists its executions', async () => {
    const started = await iot.send(
      new StartAuditMitigationActionsTaskCommand({
        taskId: 'whole-audit',
        target: { auditTaskId },
        auditCheckToActionsMapping: { [CHECK]: ['quarantine', 'notify'] },
        clientRequestToken: 'whole-audit-1',
      }),
    );
    assert.equal(started.taskId, 'whole-audit');
    await fixture.auditTasks.finished('whole-audit');

    const described = await iot.send(
      new DescribeAuditMitigationActionsTaskCommand({ taskId: 'whole-audit' }),
    );
    assert.equal(described.taskStatus, 'COMPLETED');
    assert.equal(described.startTime?.getTime(), startedAt);
    assert.ok((described.endTime?.getTime() ?? 0) > startedAt);
    assert.deepEqual(described.target, { auditTaskId });
    assert.deepEqual(described.auditCheckToActionsMapping, { [CHECK]: ['quarantine', 'notify'] });
    assert.deepEqual(described.taskStatistics, {
      [CHECK]: {
        totalFindingsCount: 6,
        failedFindingsCount: 0,
        succeededFindingsCount: 5,
        skippedFindingsCount: 1,
        canceledFindingsCount: 0,
      },
    });
    const quarantine = await fixture.actions.require('quarantine');
    assert.deepEqual(described.actionsDefinition?.[0], {
      name: 'quarantine',
      id: quarantine.actionId,
      roleArn: TEST_ROLE,
      actionParams: quarantine.actionParams,
    });
    assert.equal(thingsInGroup(fixture.registry, QUARANTINE, false).length, 5);

    const executions = await iot.send(
      new ListAuditMitigationActionsExecutionsCommand({
        taskId: 'whole-audit',
        findingId: findings[0]?.findingId,
      }),
    );
    assert.deepEqual(
      executions.actionsExecutions?.map((item) => [item.actionName, item.status, item.findingId]),
      [
        ['quarantine', 'COMPLETED', findings[0]?.findingId],
        ['notify', 'COMPLETED', findings[0]?.findingId],
      ],
    );
    const paged: string[] = [];
    for await (const page of paginateListAuditMitigationActionsExecutions(
      { client: iot.sdk, pageSize: 1 },
      { taskId: 'whole-audit', findingId: findings[0]?.findingId ?? '' },
    )) {
      for (const item of page.actionsExecutions ?? []) paged.push(item.actionName ?? '');
    }
    assert.deepEqual(paged, ['quarantine', 'notify']);
    const first = executions.actionsExecutions?.[0];
    assert.equal(first?.taskId, 'whole-audit');
    assert.equal(first?.actionId, quarantine.actionId);
    assert.ok(first?.startTime instanceof Date);
    assert.ok(first?.endTime instanceof Date);

    const skipped = await iot.send(
      new ListAuditMitigationActionsExecutionsCommand({
        taskId: 'whole-audit',
        findingId: findings[5]?.findingId,
        actionStatus: 'SKIPPED',
      }),
    );
    assert.equal(skipped.actionsExecutions?.length, 2);
    assert.equal(
      skipped.actionsExecutions?.[0]?.message,
      'Skipped because the finding is suppressed',
    );
    assert.equal(skipped.actionsExecutions?.[0]?.startTime, undefined);
  });

  test('a retry returns the task; another token conflicts', async () => {
    const request = {
      taskId: 'named',
      target: { findingIds: [findings[0]?.findingId ?? ''] },
      auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      clientRequestToken: 'named-1',
    };
    await iot.send(new StartAuditMitigationActionsTaskCommand(request));
    await fixture.auditTasks.finished('named');
    const retried = await iot.send(new StartAuditMitigationActionsTaskCommand(request));
    assert.equal(retried.taskId, 'named');

    await iot.expectError(
      iot.send(
        new StartAuditMitigationActionsTaskCommand({ ...request, clientRequestToken: 'named-2' }),
      ),
      'TaskAlreadyExistsException',
      'Audit mitigation task "named" already exists with another clientRequestToken; choose another taskId',
    );
  });

  test('rejects bad targets and mappings', async () => {
    await iot.expectError(
      iot.send(
        new StartAuditMitigationActionsTaskCommand({
          taskId: 'bad-target',
          target: { findingIds: [findings[0]?.findingId ?? ''], auditTaskId },
          auditCheckToActionsMapping: { [CHECK]: ['notify'] },
        }),
      ),
      'InvalidRequestException',
      'Invalid target: give findingIds alone, or auditTaskId with an optional auditCheckToReasonCodeFilter',
    );
    await iot.expectError(
      iot.send(
        new StartAuditMitigationActionsTaskCommand({
          taskId: 'too-many-actions',
          target: { auditTaskId },
          auditCheckToActionsMapping: { [CHECK]: ['a', 'b', 'c', 'd', 'e', 'f'] },
        }),
      ),
      'InvalidRequestException',
      /^1 validation error detected: Value '\["a","b","c","d","e","f"\]' at 'auditCheckToActionsMapping\.DEVICE_CERTIFICATE_EXPIRING_CHECK' failed to satisfy constraint: Member must have length less than or equal to 5$/,
    );
    await iot.expectError(
      iot.send(
        new StartAuditMitigationActionsTaskCommand({
          taskId: 'ca-action',
          target: { auditTaskId },
          auditCheckToActionsMapping: { CA_CERTIFICATE_EXPIRING_CHECK: ['quarantine'] },
        }),
      ),
      'InvalidRequestException',
      'Cannot apply mitigation action "quarantine" (ADD_THINGS_TO_THING_GROUP) to findings of "CA_CERTIFICATE_EXPIRING_CHECK": valid action types are PUBLISH_FINDING_TO_SNS, UPDATE_CA_CERTIFICATE',
    );
    await iot.expectError(
      iot.send(new DescribeAuditMitigationActionsTaskCommand({ taskId: 'ghost' })),
      'ResourceNotFoundException',
      'Audit mitigation task "ghost" does not exist',
    );
  });

  test('cancels a running task; its unstarted executions are CANCELED', async () => {
    const gate = fixture.mitigator.pauseAt(fixture.mitigator.startedCount + 1);
    await iot.send(
      new StartAuditMitigationActionsTaskCommand({
        taskId: 'stopped',
        target: { auditTaskId },
        auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      }),
    );
    await gate.reached;
    await iot.send(new CancelAuditMitigationActionsTaskCommand({ taskId: 'stopped' }));
    gate.release();
    await fixture.auditTasks.finished('stopped');

    const described = await iot.send(
      new DescribeAuditMitigationActionsTaskCommand({ taskId: 'stopped' }),
    );
    assert.equal(described.taskStatus, 'CANCELED');
    assert.equal(described.taskStatistics?.[CHECK]?.succeededFindingsCount, 1);
    assert.equal(described.taskStatistics?.[CHECK]?.canceledFindingsCount, 4);
    const canceled = await iot.send(
      new ListAuditMitigationActionsExecutionsCommand({
        taskId: 'stopped',
        findingId: findings[4]?.findingId,
      }),
    );
    assert.equal(canceled.actionsExecutions?.[0]?.status, 'CANCELED');

    await iot.expectError(
      iot.send(new CancelAuditMitigationActionsTaskCommand({ taskId: 'stopped' })),
      'InvalidRequestException',
      'Cannot cancel audit mitigation task "stopped": it is CANCELED',
    );
    await iot.expectError(
      iot.send(new CancelAuditMitigationActionsTaskCommand({ taskId: 'ghost' })),
      'ResourceNotFoundException',
      'Audit mitigation task "ghost" does not exist',
    );
  });

  test('lists tasks by time and filters, through the paginator', async () => {
    const window = {
      startTime: new Date(startedAt),
      endTime: new Date(fixture.clock.now() + 1000),
    };
    const all: string[] = [];
    for await (const page of paginateListAuditMitigationActionsTasks(
      { client: iot.sdk, pageSize: 2 },
      // The paginator writes nextToken into its input, so it gets a copy.
      { ...window },
    )) {
      for (const task of page.tasks ?? []) {
        all.push(task.taskId ?? '');
        assert.ok(task.startTime instanceof Date);
        assert.ok(task.taskStatus !== undefined);
      }
    }
    assert.deepEqual([...all].sort(), ['named', 'stopped', 'whole-audit']);

    const canceled = await iot.send(
      new ListAuditMitigationActionsTasksCommand({ ...window, taskStatus: 'CANCELED' }),
    );
    assert.deepEqual(
      canceled.tasks?.map((task) => task.taskId),
      ['stopped'],
    );
    const byFinding = await iot.send(
      new ListAuditMitigationActionsTasksCommand({ ...window, findingId: findings[0]?.findingId }),
    );
    assert.deepEqual(byFinding.tasks?.map((task) => task.taskId).sort(), [
      'named',
      'stopped',
      'whole-audit',
    ]);
    const byAudit = await iot.send(
      new ListAuditMitigationActionsTasksCommand({ ...window, auditTaskId: 'f00d' }),
    );
    assert.deepEqual(byAudit.tasks, []);
    const missing = await iot.raw(
      'ListAuditMitigationActionsTasks',
      'GET',
      `/audit/mitigationactions/tasks?endTime=${window.endTime.toISOString()}`,
    );
    assert.equal(missing.errorType, 'InvalidRequestException');
    assert.equal(
      missing.body.message,
      "1 validation error detected: Value null at 'startTime' failed to satisfy constraint: Member must not be null",
    );
  });
});
