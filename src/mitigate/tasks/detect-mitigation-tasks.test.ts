import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SecurityProfile, Violation } from '../../detect/detect-records.ts';
import { rejects } from '../../registry/iam/test-api.ts';
import { thingsInGroup } from '../../registry/thing-groups.ts';
import { DETECT_TASK_KIND } from './task-records.ts';
import {
  createMitigationFixture,
  createNotifyAction,
  createQuarantineAction,
  portsBehavior,
  QUARANTINE,
  seedProfile,
  seedViolation,
  TEST_ROLE,
  type MitigationFixture,
} from './test-mitigation.ts';

const TOKEN = 'token-1';
const HOUR = 3600_000;

interface Scene {
  fixture: MitigationFixture;
  profile: SecurityProfile;
  /** Active, behavior `ports`. */
  active: Violation;
  /** Cleared an hour after it started, behavior `ports`. */
  cleared: Violation;
  /** Active, behavior `quiet-ports`, whose alerts are suppressed. */
  suppressed: Violation;
}

/** Seeds a profile with two behaviors and three violations that started two hours apart. */
async function scene(): Promise<Scene> {
  const fixture = await createMitigationFixture();
  await createQuarantineAction(fixture);
  await createNotifyAction(fixture);
  const profile = await seedProfile(fixture, 'ports', [
    portsBehavior('ports'),
    portsBehavior('quiet-ports', true),
  ]);
  const now = fixture.clock.now();
  const cleared = await seedViolation(fixture, {
    thingName: 'cleared-thing',
    profile,
    behaviorName: 'ports',
    startTime: now - 5 * HOUR,
    endedAt: now - 4 * HOUR,
  });
  const active = await seedViolation(fixture, {
    thingName: 'active-thing',
    profile,
    behaviorName: 'ports',
    startTime: now - 3 * HOUR,
  });
  const suppressed = await seedViolation(fixture, {
    thingName: 'quiet-thing',
    profile,
    behaviorName: 'quiet-ports',
    startTime: now - 1 * HOUR,
  });
  return { fixture, profile, active, cleared, suppressed };
}

async function runTask(
  fixture: MitigationFixture,
  input: Omit<Parameters<MitigationFixture['detectTasks']['start']>[0], 'clientRequestToken'>,
) {
  await fixture.detectTasks.start({ ...input, clientRequestToken: TOKEN });
  await fixture.detectTasks.finished(input.taskId);
  return fixture.detectTasks.describe(input.taskId);
}

describe('detect mitigation tasks', () => {
  test("acts on a profile's violations and skips suppressed alerts", async () => {
    const { fixture } = await scene();

    const task = await runTask(fixture, {
      taskId: 'profile-wide',
      target: { securityProfileName: 'ports' },
      actions: ['quarantine'],
    });

    assert.equal(task.taskStatus, 'SUCCESSFUL');
    assert.deepEqual(task.taskStatistics, {
      actionsExecuted: 2,
      actionsSkipped: 1,
      actionsFailed: 0,
    });
    assert.equal(task.onlyActiveViolationsIncluded, false);
    assert.equal(task.suppressedAlertsIncluded, false);
    assert.deepEqual(thingsInGroup(fixture.registry, QUARANTINE, false), [
      'active-thing',
      'cleared-thing',
    ]);
    const views = await fixture.detectTasks.listExecutions({ taskId: 'profile-wide' });
    assert.deepEqual(
      views.map((view) => [view.thingName, view.status, view.message]),
      [
        ['cleared-thing', 'SUCCESSFUL', undefined],
        ['active-thing', 'SUCCESSFUL', undefined],
        [
          'quiet-thing',
          'SKIPPED',
          'Skipped because behavior "quiet-ports" suppresses alerts; set includeSuppressedAlerts to act on it',
        ],
      ],
    );
  });

  test('narrows by behavior, active state and suppressed alerts', async () => {
    const { fixture, active, cleared, suppressed } = await scene();

    await runTask(fixture, {
      taskId: 'active-only',
      target: { securityProfileName: 'ports', behaviorName: 'ports' },
      actions: ['notify'],
      includeOnlyActiveViolations: true,
    });
    // A skipped execution and a run one can share a start time, so they are compared by violation.
    const onlyActive = await fixture.detectTasks.listExecutions({ taskId: 'active-only' });
    const byViolation = new Map(onlyActive.map((view) => [view.violationId, view]));
    assert.equal(onlyActive.length, 2);
    assert.equal(byViolation.get(active.violationId)?.status, 'SUCCESSFUL');
    assert.equal(byViolation.get(cleared.violationId)?.status, 'SKIPPED');
    assert.equal(
      byViolation.get(cleared.violationId)?.message,
      'Skipped because the violation is no longer active and includeOnlyActiveViolations is set',
    );

    const withSuppressed = await runTask(fixture, {
      taskId: 'with-suppressed',
      target: { violationIds: [suppressed.violationId] },
      actions: ['notify'],
      includeSuppressedAlerts: true,
    });
    assert.equal(withSuppressed.taskStatistics.actionsExecuted, 1);
    assert.equal(withSuppressed.suppressedAlertsIncluded, true);
  });

  test('a range selects violations with an event in it', async () => {
    const { fixture, active, cleared } = await scene();
    const now = fixture.clock.now();
    const range = { startTime: now - 4.5 * HOUR, endTime: now - 2 * HOUR };

    await runTask(fixture, {
      taskId: 'by-range',
      target: { securityProfileName: 'ports' },
      actions: ['notify'],
      violationEventOccurrenceRange: range,
    });
    const byProfile = await fixture.detectTasks.listExecutions({ taskId: 'by-range' });
    assert.deepEqual(
      byProfile.map((view) => view.violationId),
      [cleared.violationId, active.violationId],
    );

    const named = await runTask(fixture, {
      taskId: 'named-range',
      target: { violationIds: [cleared.violationId, active.violationId] },
      actions: ['notify'],
      violationEventOccurrenceRange: { startTime: now - 3.5 * HOUR, endTime: now },
    });
    assert.deepEqual(named.violationEventOccurrenceRange, {
      startTime: now - 3.5 * HOUR,
      endTime: now,
    });
    const views = await fixture.detectTasks.listExecutions({ taskId: 'named-range' });
    const byViolation = new Map(views.map((view) => [view.violationId, view]));
    assert.equal(views.length, 2);
    assert.equal(byViolation.get(active.violationId)?.status, 'SUCCESSFUL');
    assert.equal(byViolation.get(cleared.violationId)?.status, 'SKIPPED');
    assert.equal(
      byViolation.get(cleared.violationId)?.message,
      'Skipped because the violation has no event in violationEventOccurrenceRange',
    );
  });

  test('cancel mid-way skips what did not start and starts nothing more', async () => {
    const { fixture, profile } = await scene();
    const ids: string[] = [];
    for (let index = 0; index < 10; index++) {
      const violation = await seedViolation(fixture, {
        thingName: `fleet-${index}`,
        profile,
        behaviorName: 'ports',
        startTime: fixture.clock.now() - index,
      });
      ids.push(violation.violationId);
    }
    const gate = fixture.mitigator.pauseAt(5);

    await fixture.detectTasks.start({
      taskId: 'halted',
      target: { violationIds: ids },
      actions: ['quarantine', 'notify'],
      clientRequestToken: TOKEN,
    });
    await gate.reached;
    fixture.mitigator.events.push('cancel');
    const canceling = fixture.detectTasks.cancel('halted');
    gate.release();
    await canceling;
    await fixture.detectTasks.finished('halted');

    const records = await fixture.store.listExecutions({ taskId: 'halted' });
    assert.equal(records.length, 20);
    assert.equal(records.filter((record) => record.status === 'COMPLETED').length, 5);
    assert.equal(records.filter((record) => record.status === 'SKIPPED').length, 15);
    const afterCancel = fixture.mitigator.events.slice(fixture.mitigator.events.indexOf('cancel'));
    assert.deepEqual(
      afterCancel.filter((event) => event.startsWith('start')),
      [],
    );
    const task = await fixture.detectTasks.describe('halted');
    assert.equal(task.taskStatus, 'CANCELED');
    assert.deepEqual(task.taskStatistics, {
      actionsExecuted: 5,
      actionsSkipped: 15,
      actionsFailed: 0,
    });
    const views = await fixture.detectTasks.listExecutions({ taskId: 'halted' });
    assert.deepEqual([...new Set(views.map((view) => view.status))].sort(), [
      'SKIPPED',
      'SUCCESSFUL',
    ]);
    assert.ok(
      views
        .filter((view) => view.status === 'SKIPPED')
        .every((view) => view.executionStartDate === undefined),
    );
  });

  test("a failed action skips the violation's remaining actions", async () => {
    const { fixture, active, cleared } = await scene();
    fixture.mitigator.failingThings.add('active-thing');

    const task = await runTask(fixture, {
      taskId: 'partly',
      target: { violationIds: [active.violationId, cleared.violationId] },
      actions: ['quarantine', 'notify'],
    });

    assert.equal(task.taskStatus, 'FAILED');
    assert.deepEqual(task.taskStatistics, {
      actionsExecuted: 2,
      actionsSkipped: 1,
      actionsFailed: 1,
    });
    const views = await fixture.detectTasks.listExecutions({
      taskId: 'partly',
      violationId: active.violationId,
    });
    assert.deepEqual(
      views.map((view) => [view.actionName, view.status, view.errorCode, view.message]),
      [
        [
          'quarantine',
          'FAILED',
          'InvalidRequestException',
          'Mitigation failed on thing "active-thing": the test marked it failing',
        ],
        [
          'notify',
          'SKIPPED',
          undefined,
          'Skipped because action "quarantine" failed on this violation',
        ],
      ],
    );
  });

  test('rejects bad starts with exact errors', async () => {
    const { fixture, active } = await scene();
    await fixture.actions.create({
      actionName: 'deactivate-ca',
      roleArn: TEST_ROLE,
      actionParams: { updateCACertificateParams: { action: 'DEACTIVATE' } },
    });
    const forms =
      'Invalid target: give violationIds alone, or securityProfileName with an optional behaviorName';
    const now = fixture.clock.now();
    const cases: [
      string,
      Partial<Parameters<MitigationFixture['detectTasks']['start']>[0]>,
      string,
    ][] = [
      ['empty target', { target: {} }, forms],
      [
        'both target forms',
        { target: { violationIds: [active.violationId], securityProfileName: 'ports' } },
        forms,
      ],
      ['behavior without profile', { target: { behaviorName: 'ports' } }, forms],
      [
        'unknown violation',
        { target: { violationIds: ['ffff'] } },
        'Violation "ffff" does not exist',
      ],
      [
        'unknown profile',
        { target: { securityProfileName: 'nope' } },
        'Security profile "nope" does not exist',
      ],
      [
        'unknown behavior',
        { target: { securityProfileName: 'ports', behaviorName: 'nope' } },
        'Security profile "ports" has no behavior "nope"',
      ],
      ['no actions', { actions: [] }, 'actions must name at least one mitigation action'],
      ['unknown action', { actions: ['ghost'] }, 'Mitigation action "ghost" does not exist'],
      ['action listed twice', { actions: ['notify', 'notify'] }, 'actions lists "notify" twice'],
      [
        'action of a wrong type',
        { actions: ['deactivate-ca'] },
        'Cannot apply mitigation action "deactivate-ca" (UPDATE_CA_CERTIFICATE) to violations: valid action types are ADD_THINGS_TO_THING_GROUP, UPDATE_DEVICE_CERTIFICATE, PUBLISH_FINDING_TO_SNS, DISCONNECT_CLIENT, BAN, THROTTLE_PUBLISH',
      ],
      [
        'reversed range',
        { violationEventOccurrenceRange: { startTime: now, endTime: now - HOUR } },
        `Invalid violationEventOccurrenceRange: startTime "${new Date(now).toISOString()}" is after endTime "${new Date(now - HOUR).toISOString()}"`,
      ],
    ];
    for (const [name, change, message] of cases) {
      await assert.rejects(
        fixture.detectTasks.start({
          taskId: `bad-${name.replaceAll(' ', '-')}`,
          target: { violationIds: [active.violationId] },
          actions: ['notify'],
          clientRequestToken: TOKEN,
          ...change,
        }),
        rejects('InvalidRequestException', message),
        name,
      );
    }
    assert.deepEqual(await fixture.store.listDocuments(DETECT_TASK_KIND), []);
  });

  test('a retry with the same token returns the task; other requests conflict', async () => {
    const { fixture, active } = await scene();
    const request = {
      taskId: 'once',
      target: { violationIds: [active.violationId] },
      actions: ['notify'],
      clientRequestToken: TOKEN,
    };
    await fixture.detectTasks.start(request);
    await fixture.detectTasks.finished('once');
    await fixture.detectTasks.start(request);
    await fixture.detectTasks.finished('once');
    assert.equal((await fixture.store.listExecutions({ taskId: 'once' })).length, 1);

    await assert.rejects(
      fixture.detectTasks.start({ ...request, clientRequestToken: 'token-2' }),
      rejects(
        'TaskAlreadyExistsException',
        'Detect mitigation task "once" already exists with another clientRequestToken; choose another taskId',
      ),
    );
    await assert.rejects(
      fixture.detectTasks.start({ ...request, includeOnlyActiveViolations: true }),
      rejects(
        'TaskAlreadyExistsException',
        'Detect mitigation task "once" already exists with another request for clientRequestToken "token-1"; choose another taskId',
      ),
    );
  });

  test('the sixth running task is rejected with LimitExceededException', async () => {
    const { fixture, active } = await scene();
    const gates = Array.from({ length: 5 }, (_, index) => fixture.mitigator.pauseAt(index + 1));
    const start = (taskId: string) =>
      fixture.detectTasks.start({
        taskId,
        target: { violationIds: [active.violationId] },
        actions: ['notify'],
        clientRequestToken: TOKEN,
      });
    for (let index = 0; index < 5; index++) {
      await start(`busy-${index}`);
      await gates[index]?.reached;
    }

    await assert.rejects(
      start('one-too-many'),
      rejects(
        'LimitExceededException',
        '5 detect mitigation tasks are already in progress, the maximum; wait for one to finish or cancel one',
      ),
    );
    for (const gate of gates) gate.release();
    for (let index = 0; index < 5; index++) await fixture.detectTasks.finished(`busy-${index}`);
    await start('now-fits');
  });

  test('lists executions by task or time, never both', async () => {
    const { fixture, active, cleared } = await scene();
    const startedAt = fixture.clock.now();
    await runTask(fixture, {
      taskId: 'listed',
      target: { violationIds: [active.violationId, cleared.violationId] },
      actions: ['notify'],
    });
    const endedAt = fixture.clock.now() + 1;

    const byTime = await fixture.detectTasks.listExecutions({
      startTime: startedAt,
      endTime: endedAt,
    });
    assert.deepEqual(
      byTime.map((view) => view.thingName),
      ['active-thing', 'cleared-thing'],
    );
    assert.deepEqual(
      (
        await fixture.detectTasks.listExecutions({ taskId: 'listed', thingName: 'cleared-thing' })
      ).map((view) => view.violationId),
      [cleared.violationId],
    );
    const first = byTime[0];
    assert.equal(first?.taskId, 'listed');
    assert.equal(first?.executionStartDate, startedAt);
    assert.equal(first?.executionEndDate, startedAt + 1000);

    const cases: [string, object, string][] = [
      ['neither', {}, 'Give either taskId or startTime and endTime, not both and not neither'],
      [
        'both',
        { taskId: 'listed', startTime: startedAt, endTime: endedAt },
        'Give either taskId or startTime and endTime, not both and not neither',
      ],
      ['start alone', { startTime: startedAt }, 'startTime and endTime must be given together'],
    ];
    for (const [name, query, message] of cases)
      await assert.rejects(
        fixture.detectTasks.listExecutions(query),
        rejects('InvalidRequestException', message),
        name,
      );
  });

  test('cancel, describe and list of unknown or ended tasks', async () => {
    const { fixture, active } = await scene();
    await assert.rejects(
      fixture.detectTasks.cancel('ghost'),
      rejects('ResourceNotFoundException', 'Detect mitigation task "ghost" does not exist'),
    );
    await assert.rejects(
      fixture.detectTasks.describe('ghost'),
      rejects('ResourceNotFoundException', 'Detect mitigation task "ghost" does not exist'),
    );
    const startedAt = fixture.clock.now();
    await runTask(fixture, {
      taskId: 'done',
      target: { violationIds: [active.violationId] },
      actions: ['notify'],
    });
    await runTask(fixture, {
      taskId: 'later',
      target: { violationIds: [active.violationId] },
      actions: ['notify'],
    });
    await assert.rejects(
      fixture.detectTasks.cancel('done'),
      rejects(
        'InvalidRequestException',
        'Cannot cancel detect mitigation task "done": it is SUCCESSFUL',
      ),
    );
    const listed = await fixture.detectTasks.list(startedAt, fixture.clock.now() + 1);
    assert.deepEqual(
      listed.map((task) => task.taskId),
      ['later', 'done'],
    );
    assert.deepEqual(await fixture.detectTasks.list(0, startedAt), []);
  });
});
