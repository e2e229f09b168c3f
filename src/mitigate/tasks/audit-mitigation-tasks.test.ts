import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredFinding } from '../../audit/audit-records.ts';
import { rejects } from '../../registry/iam/test-api.ts';
import { thingsInGroup } from '../../registry/thing-groups.ts';
import { AUDIT_TASK_KIND, type AuditMitigationTask } from './task-records.ts';
import {
  createMitigationFixture,
  createNotifyAction,
  createQuarantineAction,
  QUARANTINE,
  seedAudit,
  TEST_ROLE,
  type MitigationFixture,
} from './test-mitigation.ts';

const CHECK = 'DEVICE_CERTIFICATE_EXPIRING_CHECK';
const TOKEN = 'token-1';

async function fixtureWithActions(): Promise<MitigationFixture> {
  const fixture = await createMitigationFixture();
  await createQuarantineAction(fixture);
  await createNotifyAction(fixture);
  return fixture;
}

describe('audit mitigation tasks', () => {
  test('a task over 1,000 findings stores one execution for each', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId, findings } = await seedAudit(fixture, 1000);

    await fixture.auditTasks.start({
      taskId: 'quarantine-all',
      target: { auditTaskId },
      auditCheckToActionsMapping: { [CHECK]: ['quarantine'] },
      clientRequestToken: TOKEN,
    });
    await fixture.auditTasks.finished('quarantine-all');

    const task = await fixture.auditTasks.describe('quarantine-all');
    assert.equal(task.taskStatus, 'COMPLETED');
    assert.deepEqual(task.taskStatistics, {
      [CHECK]: {
        totalFindingsCount: 1000,
        failedFindingsCount: 0,
        succeededFindingsCount: 1000,
        skippedFindingsCount: 0,
        canceledFindingsCount: 0,
      },
    });
    const executions = await fixture.store.listExecutions({ taskId: 'quarantine-all' });
    assert.equal(executions.length, 1000);
    assert.ok(executions.every((execution) => execution.status === 'COMPLETED'));
    const covered = new Set(
      executions.map((execution) =>
        execution.source.kind === 'audit-finding' ? execution.source.findingId : '',
      ),
    );
    assert.deepEqual([...covered].sort(), findings.map((finding) => finding.findingId).sort());
    assert.equal(thingsInGroup(fixture.registry, QUARANTINE, false).length, 1000);
  });

  test('cancel mid-way leaves only completed and canceled executions', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId } = await seedAudit(fixture, 40);
    const gate = fixture.mitigator.pauseAt(7);

    await fixture.auditTasks.start({
      taskId: 'halted',
      target: { auditTaskId },
      auditCheckToActionsMapping: { [CHECK]: ['quarantine', 'notify'] },
      clientRequestToken: TOKEN,
    });
    await gate.reached;
    fixture.mitigator.events.push('cancel');
    const canceling = fixture.auditTasks.cancel('halted');
    gate.release();
    await canceling;
    await fixture.auditTasks.finished('halted');

    const executions = await fixture.store.listExecutions({ taskId: 'halted' });
    assert.equal(executions.length, 80);
    assert.deepEqual(
      executions.filter((execution) => !['COMPLETED', 'CANCELED'].includes(execution.status)),
      [],
    );
    assert.equal(executions.filter((execution) => execution.status === 'COMPLETED').length, 7);
    assert.equal(executions.filter((execution) => execution.status === 'CANCELED').length, 73);

    const afterCancel = fixture.mitigator.events.slice(fixture.mitigator.events.indexOf('cancel'));
    assert.deepEqual(
      afterCancel.filter((event) => event.startsWith('start')),
      [],
    );
    assert.equal(afterCancel.filter((event) => event.startsWith('end')).length, 1);

    const task = await fixture.auditTasks.describe('halted');
    assert.equal(task.taskStatus, 'CANCELED');
    assert.equal(task.taskStatistics[CHECK]?.succeededFindingsCount, 3);
    assert.equal(task.taskStatistics[CHECK]?.canceledFindingsCount, 37);
    assert.equal(thingsInGroup(fixture.registry, QUARANTINE, false).length, 4);
    assert.equal(fixture.mitigator.published.length, 3);
  });

  test('stop ends a running task FAILED between two executions', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId } = await seedAudit(fixture, 3);
    const gate = fixture.mitigator.pauseAt(2);
    await fixture.auditTasks.start({
      taskId: 'interrupted',
      target: { auditTaskId },
      auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      clientRequestToken: TOKEN,
    });
    await gate.reached;

    const stopping = fixture.auditTasks.stop();
    gate.release();
    await stopping;

    const task = await fixture.auditTasks.describe('interrupted');
    assert.equal(task.taskStatus, 'FAILED');
    assert.equal(task.taskStatistics[CHECK]?.succeededFindingsCount, 2);
    assert.equal(task.taskStatistics[CHECK]?.canceledFindingsCount, 1);
    const records = await fixture.store.listExecutions({ taskId: 'interrupted' });
    assert.deepEqual(
      records.filter((record) => record.status === 'CANCELED').map((record) => record.message),
      ['Not started because Warden stopped'],
    );
  });

  test('a failed action skips the rest of its finding only', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId, findings } = await seedAudit(fixture, 3);
    const broken = findings[1] as StoredFinding;
    const brokenThing = fixture.thingOfCertificate.get(
      broken.nonCompliantResource.resourceIdentifier.deviceCertificateId ?? '',
    );
    fixture.mitigator.failingThings.add(brokenThing ?? '');

    await fixture.auditTasks.start({
      taskId: 'partly',
      target: { auditTaskId },
      auditCheckToActionsMapping: { [CHECK]: ['quarantine', 'notify'] },
      clientRequestToken: TOKEN,
    });
    await fixture.auditTasks.finished('partly');

    const views = await fixture.auditTasks.listExecutions('partly', broken.findingId);
    assert.deepEqual(
      views.map((view) => [view.actionName, view.status, view.errorCode, view.message]),
      [
        [
          'quarantine',
          'FAILED',
          'InvalidRequestException',
          `Mitigation failed on thing "${brokenThing}": the test marked it failing`,
        ],
        [
          'notify',
          'SKIPPED',
          undefined,
          'Skipped because action "quarantine" failed on this finding',
        ],
      ],
    );
    const task = await fixture.auditTasks.describe('partly');
    assert.equal(task.taskStatus, 'FAILED');
    assert.equal(task.taskStatistics[CHECK]?.failedFindingsCount, 1);
    assert.equal(task.taskStatistics[CHECK]?.succeededFindingsCount, 2);
    assert.equal(fixture.mitigator.published.length, 2);
  });

  test('suppressed and filtered-out findings are skipped, not acted on', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId, findings } = await seedAudit(fixture, 4, {
      isSuppressed: (index) => index === 0,
      reasonCode: (index) =>
        index === 3 ? 'CERTIFICATE_PAST_EXPIRATION' : 'CERTIFICATE_APPROACHING_EXPIRATION',
    });

    await fixture.auditTasks.start({
      taskId: 'filtered',
      target: {
        auditTaskId,
        auditCheckToReasonCodeFilter: { [CHECK]: ['CERTIFICATE_APPROACHING_EXPIRATION'] },
      },
      auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      clientRequestToken: TOKEN,
    });
    await fixture.auditTasks.finished('filtered');

    const messageOf = async (index: number) =>
      (await fixture.auditTasks.listExecutions('filtered', findings[index]?.findingId ?? ''))[0];
    assert.equal((await messageOf(0))?.status, 'SKIPPED');
    assert.equal((await messageOf(0))?.message, 'Skipped because the finding is suppressed');
    assert.equal((await messageOf(1))?.status, 'COMPLETED');
    assert.equal(
      (await messageOf(3))?.message,
      `Skipped because reason code "CERTIFICATE_PAST_EXPIRATION" is not in auditCheckToReasonCodeFilter for "${CHECK}"`,
    );
    const task = await fixture.auditTasks.describe('filtered');
    assert.equal(task.taskStatus, 'COMPLETED');
    assert.deepEqual(task.taskStatistics[CHECK], {
      totalFindingsCount: 4,
      failedFindingsCount: 0,
      succeededFindingsCount: 2,
      skippedFindingsCount: 2,
      canceledFindingsCount: 0,
    });
    assert.equal(fixture.mitigator.published.length, 2);
    assert.equal(fixture.mitigator.events.filter((event) => event.startsWith('start')).length, 2);
  });

  test('shows PENDING and IN_PROGRESS executions while the task runs', async () => {
    const fixture = await fixtureWithActions();
    const { findings } = await seedAudit(fixture, 2);
    const gate = fixture.mitigator.pauseAt(1);

    await fixture.auditTasks.start({
      taskId: 'watched',
      target: { findingIds: findings.map((finding) => finding.findingId) },
      auditCheckToActionsMapping: { [CHECK]: ['quarantine'] },
      clientRequestToken: TOKEN,
    });
    await gate.reached;
    const status = async (index: number) =>
      (await fixture.auditTasks.listExecutions('watched', findings[index]?.findingId ?? '')).map(
        (view) => view.status,
      );
    assert.deepEqual(await status(0), ['IN_PROGRESS']);
    assert.deepEqual(await status(1), ['PENDING']);
    assert.equal((await fixture.auditTasks.describe('watched')).taskStatus, 'IN_PROGRESS');

    gate.release();
    await fixture.auditTasks.finished('watched');
    assert.deepEqual(await status(0), ['COMPLETED']);
    assert.deepEqual(await status(1), ['COMPLETED']);
    assert.deepEqual(
      await fixture.auditTasks.listExecutions('watched', findings[0]?.findingId ?? '', 'FAILED'),
      [],
    );
  });

  test('a finding whose target cannot be resolved fails its first action', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId } = await seedAudit(fixture, 1, {
      checkName: 'CONFLICTING_CLIENT_IDS_CHECK',
    });
    const finding = (
      await fixture.auditStore.listFindings({ taskId: auditTaskId })
    )[0] as StoredFinding;
    const clientFinding: StoredFinding = {
      ...finding,
      findingId: 'client-finding',
      nonCompliantResource: {
        resourceType: 'CLIENT_ID',
        resourceIdentifier: { clientId: 'sensor-1' },
      },
    };
    const auditTask = await fixture.auditStore.getTask(auditTaskId);
    assert.ok(auditTask);
    await fixture.auditStore.putFindings(auditTask, [clientFinding]);
    await fixture.actions.create({
      actionName: 'notify-again',
      roleArn: TEST_ROLE,
      actionParams: {
        publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:b' },
      },
    });

    await fixture.auditTasks.start({
      taskId: 'unresolved',
      target: { findingIds: ['client-finding'] },
      auditCheckToActionsMapping: { CONFLICTING_CLIENT_IDS_CHECK: ['notify', 'notify-again'] },
      clientRequestToken: TOKEN,
    });
    await fixture.auditTasks.finished('unresolved');

    const views = await fixture.auditTasks.listExecutions('unresolved', 'client-finding');
    assert.deepEqual(
      views.map((view) => [view.status, view.errorCode, view.message]),
      [
        [
          'FAILED',
          'InvalidRequestException',
          'Finding "client-finding" names no device certificate',
        ],
        ['SKIPPED', undefined, "Skipped because the finding's target could not be resolved"],
      ],
    );
    assert.equal(fixture.mitigator.events.length, 0);
  });

  test('rejects bad starts with exact errors', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId, findings } = await seedAudit(fixture, 2);
    await fixture.actions.create({
      actionName: 'deactivate-ca',
      roleArn: TEST_ROLE,
      actionParams: { updateCACertificateParams: { action: 'DEACTIVATE' } },
    });
    const mapping = { [CHECK]: ['quarantine'] };
    const forms =
      'Invalid target: give findingIds alone, or auditTaskId with an optional auditCheckToReasonCodeFilter';
    const findingId = findings[0]?.findingId ?? '';
    const cases: [string, object, Record<string, string[]>, string][] = [
      ['empty target', {}, mapping, forms],
      ['findings and audit', { findingIds: [findingId], auditTaskId }, mapping, forms],
      [
        'filter without audit',
        { auditCheckToReasonCodeFilter: { [CHECK]: ['X'] } },
        mapping,
        forms,
      ],
      ['unknown audit', { auditTaskId: 'abc123' }, mapping, 'Audit task "abc123" does not exist'],
      ['unknown finding', { findingIds: ['nope'] }, mapping, 'Audit finding "nope" does not exist'],
      [
        'finding of an unmapped check',
        { findingIds: [findingId] },
        { LOGGING_DISABLED_CHECK: ['notify'] },
        `Audit finding "${findingId}" is of check "${CHECK}", which auditCheckToActionsMapping does not map`,
      ],
      [
        'filter on an unmapped check',
        { auditTaskId, auditCheckToReasonCodeFilter: { LOGGING_DISABLED_CHECK: ['X'] } },
        mapping,
        'Check "LOGGING_DISABLED_CHECK" in auditCheckToReasonCodeFilter is not in auditCheckToActionsMapping',
      ],
      [
        'empty mapping',
        { auditTaskId },
        {},
        'auditCheckToActionsMapping must map at least one check',
      ],
      [
        'unknown action',
        { auditTaskId },
        { [CHECK]: ['ghost'] },
        'Mitigation action "ghost" does not exist',
      ],
      [
        'action of a wrong type',
        { auditTaskId },
        { [CHECK]: ['deactivate-ca'] },
        `Cannot apply mitigation action "deactivate-ca" (UPDATE_CA_CERTIFICATE) to findings of "${CHECK}": valid action types are PUBLISH_FINDING_TO_SNS, UPDATE_DEVICE_CERTIFICATE, ADD_THINGS_TO_THING_GROUP, DISCONNECT_CLIENT, BAN, THROTTLE_PUBLISH`,
      ],
      [
        'unknown check',
        { auditTaskId },
        { MADE_UP_CHECK: ['notify'] },
        'Unknown audit check "MADE_UP_CHECK" in auditCheckToActionsMapping',
      ],
      [
        'action listed twice',
        { auditTaskId },
        { [CHECK]: ['notify', 'notify'] },
        `auditCheckToActionsMapping lists action "notify" twice for "${CHECK}"`,
      ],
    ];
    for (const [name, target, auditCheckToActionsMapping, message] of cases) {
      await assert.rejects(
        fixture.auditTasks.start({
          taskId: `bad-${name.replaceAll(' ', '-')}`,
          target,
          auditCheckToActionsMapping,
          clientRequestToken: TOKEN,
        }),
        rejects('InvalidRequestException', message),
        name,
      );
    }
    assert.deepEqual(await fixture.store.listDocuments(AUDIT_TASK_KIND), []);
  });

  test('a retry with the same token returns the task; other requests conflict', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId } = await seedAudit(fixture, 2);
    const request = {
      taskId: 'once',
      target: { auditTaskId },
      auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      clientRequestToken: TOKEN,
    };
    const first = await fixture.auditTasks.start(request);
    await fixture.auditTasks.finished('once');

    const retried = await fixture.auditTasks.start(request);
    await fixture.auditTasks.finished('once');
    assert.equal(retried.taskId, first.taskId);
    assert.equal(retried.startTime, first.startTime);
    assert.equal((await fixture.store.listExecutions({ taskId: 'once' })).length, 2);

    await assert.rejects(
      fixture.auditTasks.start({ ...request, clientRequestToken: 'token-2' }),
      rejects(
        'TaskAlreadyExistsException',
        'Audit mitigation task "once" already exists with another clientRequestToken; choose another taskId',
      ),
    );
    await assert.rejects(
      fixture.auditTasks.start({
        ...request,
        auditCheckToActionsMapping: { [CHECK]: ['quarantine'] },
      }),
      rejects(
        'TaskAlreadyExistsException',
        'Audit mitigation task "once" already exists with another request for clientRequestToken "token-1"; choose another taskId',
      ),
    );
  });

  test('the eleventh running task is rejected with LimitExceededException', async () => {
    const fixture = await fixtureWithActions();
    const { findings } = await seedAudit(fixture, 11);
    const gates = Array.from({ length: 10 }, (_, index) => fixture.mitigator.pauseAt(index + 1));
    for (let index = 0; index < 10; index++) {
      await fixture.auditTasks.start({
        taskId: `busy-${index}`,
        target: { findingIds: [findings[index]?.findingId ?? ''] },
        auditCheckToActionsMapping: { [CHECK]: ['notify'] },
        clientRequestToken: TOKEN,
      });
      await gates[index]?.reached;
    }

    await assert.rejects(
      fixture.auditTasks.start({
        taskId: 'one-too-many',
        target: { findingIds: [findings[10]?.findingId ?? ''] },
        auditCheckToActionsMapping: { [CHECK]: ['notify'] },
        clientRequestToken: TOKEN,
      }),
      rejects(
        'LimitExceededException',
        '10 audit mitigation tasks are already in progress, the maximum; wait for one to finish or cancel one',
      ),
    );
    for (const gate of gates) gate.release();
    await fixture.auditTasks.finished('busy-9');
    for (let index = 0; index < 10; index++) await fixture.auditTasks.finished(`busy-${index}`);
    await fixture.auditTasks.start({
      taskId: 'now-fits',
      target: { findingIds: [findings[10]?.findingId ?? ''] },
      auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      clientRequestToken: TOKEN,
    });
  });

  test('cancel and describe of unknown or ended tasks fail with exact errors', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId } = await seedAudit(fixture, 1);
    await assert.rejects(
      fixture.auditTasks.cancel('ghost'),
      rejects('ResourceNotFoundException', 'Audit mitigation task "ghost" does not exist'),
    );
    await assert.rejects(
      fixture.auditTasks.describe('ghost'),
      rejects('ResourceNotFoundException', 'Audit mitigation task "ghost" does not exist'),
    );
    await fixture.auditTasks.start({
      taskId: 'done',
      target: { auditTaskId },
      auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      clientRequestToken: TOKEN,
    });
    await fixture.auditTasks.finished('done');
    await assert.rejects(
      fixture.auditTasks.cancel('done'),
      rejects(
        'InvalidRequestException',
        'Cannot cancel audit mitigation task "done": it is COMPLETED',
      ),
    );
    assert.deepEqual(await fixture.auditTasks.listExecutions('ghost', 'any'), []);
  });

  test('a task keeps the action definitions it started with', async () => {
    const fixture = await fixtureWithActions();
    const { auditTaskId } = await seedAudit(fixture, 1);
    const gate = fixture.mitigator.pauseAt(1);
    const original = await fixture.actions.require('notify');
    await fixture.auditTasks.start({
      taskId: 'snapshot',
      target: { auditTaskId },
      auditCheckToActionsMapping: { [CHECK]: ['notify', 'quarantine'] },
      clientRequestToken: TOKEN,
    });
    await gate.reached;
    await fixture.actions.delete('quarantine');
    await fixture.actions.update('notify', { roleArn: 'arn:aws:iam::123456789012:role/changed' });
    gate.release();
    await fixture.auditTasks.finished('snapshot');

    const task = await fixture.auditTasks.describe('snapshot');
    assert.equal(task.taskStatus, 'COMPLETED');
    assert.deepEqual(
      task.actionsDefinition.map((action) => [action.actionName, action.roleArn]),
      [
        ['notify', original.roleArn],
        ['quarantine', TEST_ROLE],
      ],
    );
    assert.equal(thingsInGroup(fixture.registry, QUARANTINE, false).length, 1);
  });

  test('lists tasks by time, status, audit and finding, newest first', async () => {
    const fixture = await fixtureWithActions();
    const first = await seedAudit(fixture, 1);
    const second = await seedAudit(fixture, 1);
    const startedAt = fixture.clock.now();
    const start = async (taskId: string, target: object) => {
      await fixture.auditTasks.start({
        taskId,
        target,
        auditCheckToActionsMapping: { [CHECK]: ['notify'] },
        clientRequestToken: TOKEN,
      });
      await fixture.auditTasks.finished(taskId);
    };
    await start('by-audit', { auditTaskId: first.auditTaskId });
    await start('by-finding', { findingIds: [second.findings[0]?.findingId ?? ''] });
    const window = { startTime: startedAt, endTime: fixture.clock.now() + 1 };
    const ids = async (query: object) =>
      (await fixture.auditTasks.list({ ...window, ...query })).map((task) => task.taskId);

    assert.deepEqual(await ids({}), ['by-finding', 'by-audit']);
    assert.deepEqual(await ids({ auditTaskId: first.auditTaskId }), ['by-audit']);
    assert.deepEqual(await ids({ auditTaskId: second.auditTaskId }), ['by-finding']);
    assert.deepEqual(await ids({ findingId: first.findings[0]?.findingId }), ['by-audit']);
    assert.deepEqual(await ids({ taskStatus: 'FAILED' }), []);
    assert.deepEqual(
      await ids({ startTime: fixture.clock.now() + 1, endTime: fixture.clock.now() + 2 }),
      [],
    );
  });

  test('marks a task a restart interrupted as FAILED and its unrun executions CANCELED', async () => {
    const fixture = await fixtureWithActions();
    const { findings } = await seedAudit(fixture, 1);
    const findingId = findings[0]?.findingId ?? '';
    const action = await fixture.actions.require('notify');
    const task: AuditMitigationTask = {
      taskId: 'orphan',
      clientRequestToken: TOKEN,
      requestKey: '[]',
      taskStatus: 'IN_PROGRESS',
      startTime: fixture.clock.now(),
      target: { findingIds: [findingId] },
      auditCheckToActionsMapping: { [CHECK]: ['notify'] },
      actionsDefinition: [action],
      taskStatistics: {},
    };
    await fixture.store.putDocument({ kind: AUDIT_TASK_KIND, key: 'orphan', data: task });
    await fixture.store.putDocument({
      kind: 'audit-mitigation-plan',
      key: 'orphan',
      data: { taskId: 'orphan', findings: [{ findingId, checkName: CHECK, auditTaskId: 'x' }] },
    });

    assert.equal(await fixture.auditTasks.recoverInterrupted(), 1);
    assert.equal((await fixture.auditTasks.describe('orphan')).taskStatus, 'FAILED');
    const views = await fixture.auditTasks.listExecutions('orphan', findingId);
    assert.deepEqual(
      views.map((view) => [view.actionName, view.actionId, view.status, view.message]),
      [['notify', action.actionId, 'CANCELED', 'Not started because the task ended first']],
    );
    assert.equal(await fixture.auditTasks.recoverInterrupted(), 0);
  });
});
