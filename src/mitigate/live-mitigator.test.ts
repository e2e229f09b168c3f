import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../core/logger.ts';
import { validatePolicyDocument } from '../broker/policy/index.ts';
import { PartialApplyError, type ActionExecutor } from './executors/executor.ts';
import { LiveMitigator } from './live-mitigator.ts';
import { MANUAL, MitigationFixture, mitigationAction, targetOf } from './mitigation-fixture.ts';
import type { ExecutionRecord, MitigationAction } from './mitigation-types.ts';

const ALLOW_ALL = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
};

describe('live mitigator', () => {
  let fixture: MitigationFixture;
  let certificateId: string;

  /** Builds a mitigator over the fixture's Warden whose DISCONNECT_CLIENT runs `executor`. */
  function mitigatorWith(executor: Omit<ActionExecutor, 'actionType'>): LiveMitigator {
    const service = fixture.warden.service;
    return new LiveMitigator({
      registry: service.registry,
      broker: service.broker,
      enforcement: fixture.mitigation.enforcement,
      alerts: service.alerts,
      validatePolicy: (document) => void validatePolicyDocument(document),
      clock: service.clock,
      logger: silentLogger(),
      store: fixture.store,
      executors: { DISCONNECT_CLIENT: { actionType: 'DISCONNECT_CLIENT', ...executor } },
    });
  }

  const deactivate = mitigationAction('deactivate', 'UPDATE_DEVICE_CERTIFICATE', {
    action: 'DEACTIVATE',
  });
  const kick = mitigationAction('kick', 'DISCONNECT_CLIENT', {});

  before(async () => {
    fixture = await MitigationFixture.start();
    await fixture.warden.createPolicy('allow-all', ALLOW_ALL);
    const device = await fixture.device('gauge-1', 'allow-all');
    certificateId = createHash('sha256')
      .update(Buffer.from(device.certificate.rawData))
      .digest('hex');
  });

  after(async () => {
    await fixture?.stop();
  });

  test('stores IN_PROGRESS before applying', async () => {
    let seen: ExecutionRecord | undefined;
    const mitigator = mitigatorWith({
      plan: () => ({ before: null, message: 'Would do nothing' }),
      apply: async (_action, _target, context) => {
        seen = await fixture.store.getExecution(context.execution.executionId);
        return { before: { step: 0 }, after: { step: 1 }, message: 'Did the thing' };
      },
      rollback: async () => 'Undid the thing',
    });

    const record = await mitigator.execute({
      action: kick,
      target: targetOf({}),
      source: MANUAL,
      taskId: 'task-1',
    });
    assert.equal(seen?.status, 'IN_PROGRESS');
    assert.equal(seen?.endTime, undefined);
    assert.equal(record.status, 'COMPLETED');
    assert.equal(record.taskId, 'task-1');
    assert.deepEqual(record.before, { step: 0 });
    assert.deepEqual(record.after, { step: 1 });
    assert.equal(typeof record.endTime, 'number');
    assert.deepEqual(await fixture.store.getExecution(record.executionId), record);
    const listed = await fixture.store.listExecutions({ taskId: 'task-1' });
    assert.deepEqual(
      listed.map((execution) => execution.executionId),
      [record.executionId],
    );
  });

  test('dry run changes nothing', async () => {
    const record = await fixture.mitigator.execute({
      action: deactivate,
      target: targetOf({ certificateIds: [certificateId] }),
      source: MANUAL,
      dryRun: true,
    });
    assert.equal(record.status, 'COMPLETED');
    assert.equal(record.dryRun, true);
    assert.equal(record.message, `Would deactivate device certificates "${certificateId}"`);
    assert.deepEqual(record.before, { certificates: [{ certificateId, status: 'ACTIVE' }] });
    assert.equal(record.after, undefined);
    assert.equal(
      fixture.warden.service.registry.get('certificate', certificateId)?.status,
      'ACTIVE',
    );
    await assert.rejects(fixture.mitigator.rollback(record.executionId), {
      code: 'InvalidRequestException',
      message: `Cannot roll back mitigation execution "${record.executionId}": it was a dry run and changed nothing`,
    });
  });

  test('dry run fails like a real run', async () => {
    const action = mitigationAction('quarantine', 'ADD_THINGS_TO_THING_GROUP', {
      thingGroupNames: ['missing-group'],
    });
    const record = await fixture.mitigator.execute({
      action,
      target: targetOf({ thingNames: ['gauge-1'] }),
      source: MANUAL,
      dryRun: true,
    });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.errorCode, 'ResourceNotFoundException');
    assert.equal(record.message, 'Thing group "missing-group" does not exist');
  });

  test('failures keep code and message', async () => {
    const cases: [MitigationAction, ReturnType<typeof targetOf>, string, string][] = [
      [
        deactivate,
        targetOf({ policyNames: ['p'] }),
        'InvalidRequestException',
        'Cannot apply mitigation action "deactivate" (UPDATE_DEVICE_CERTIFICATE): the target has no device certificates',
      ],
      [
        deactivate,
        targetOf({ certificateIds: ['f'.repeat(64)] }),
        'ResourceNotFoundException',
        `Certificate "${'f'.repeat(64)}" does not exist`,
      ],
      [
        {
          ...mitigationAction('ban', 'BAN', { scope: 'CLIENT_ID', durationSeconds: 60 }),
          actionParams: {},
        },
        targetOf({ clientIds: ['gauge-1'] }),
        'InvalidRequestException',
        'Mitigation action "ban" of type BAN has no "banParams" in its actionParams',
      ],
      [
        mitigationAction('ban', 'BAN', { scope: 'CLIENT_ID', durationSeconds: 0 }),
        targetOf({ clientIds: ['gauge-1'] }),
        'InvalidRequestException',
        'Invalid durationSeconds "0" in mitigation action "ban": must be a positive whole number',
      ],
      [
        mitigationAction('throttle', 'THROTTLE_PUBLISH', {
          messagesPerMinute: 0,
          durationSeconds: 60,
        }),
        targetOf({ thingNames: ['gauge-1'] }),
        'InvalidRequestException',
        'Invalid messagesPerMinute "0" in mitigation action "throttle": must be a whole number of at least 1',
      ],
      [
        mitigationAction('logging', 'ENABLE_IOT_LOGGING', {
          roleArnForLogging: 'arn:aws:iam::123456789012:role/logging',
          logLevel: 'DISABLED' as 'DEBUG',
        }),
        targetOf({}),
        'InvalidRequestException',
        'Invalid logLevel "DISABLED" in mitigation action "logging": must be DEBUG, INFO, WARN or ERROR',
      ],
      [
        mitigationAction('notify', 'PUBLISH_FINDING_TO_SNS', { topicArn: 'ops-alerts' }),
        targetOf({}),
        'InvalidRequestException',
        'Invalid topicArn "ops-alerts" in mitigation action "notify": expected arn:aws:sns:REGION:ACCOUNT:NAME',
      ],
      [
        mitigationAction('blank', 'REPLACE_DEFAULT_POLICY_VERSION', {
          templateName: 'BLANK_POLICY',
        }),
        targetOf({ policyNames: ['no-such-policy'] }),
        'ResourceNotFoundException',
        'Policy "no-such-policy" does not exist',
      ],
    ];
    for (const [action, target, errorCode, message] of cases) {
      const record = await fixture.mitigator.execute({ action, target, source: MANUAL });
      assert.equal(record.status, 'FAILED', message);
      assert.equal(record.errorCode, errorCode, message);
      assert.equal(record.message, message);
      assert.equal(record.after, undefined, message);
      await assert.rejects(fixture.mitigator.rollback(record.executionId), {
        code: 'InvalidRequestException',
        message: `Cannot roll back mitigation execution "${record.executionId}": it failed before changing anything`,
      });
    }
    assert.equal(
      fixture.warden.service.registry.get('certificate', certificateId)?.status,
      'ACTIVE',
    );
  });

  test('quarantine past group limit fails', async () => {
    const warden = fixture.warden;
    const groups = Array.from({ length: 10 }, (_, index) => `zone-${index}`);
    for (const group of [...groups, 'quarantine-full']) {
      assert.equal((await warden.api('POST', `/thing-groups/${group}`, {})).status, 200);
    }
    for (const group of groups.slice(0, 9)) {
      const body = { thingGroupName: group, thingName: 'gauge-1' };
      assert.equal(
        (await warden.api('PUT', '/thing-groups/addThingToThingGroup', body)).status,
        200,
      );
    }
    const action = mitigationAction('quarantine', 'ADD_THINGS_TO_THING_GROUP', {
      thingGroupNames: ['zone-9', 'quarantine-full'],
    });

    const record = await fixture.mitigator.execute({
      action,
      target: targetOf({ thingNames: ['gauge-1'] }),
      source: MANUAL,
    });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.errorCode, 'InvalidRequestException');
    assert.equal(
      record.message,
      'Cannot add thing "gauge-1" to thing groups "zone-9", "quarantine-full": it is in 9 groups and can be in at most 10',
    );
    const memberships = warden.service.registry.linkedTo('thing-group-member', 'gauge-1');
    assert.equal(memberships.length, 9);
  });

  test('partial failure can be rolled back', async () => {
    const undone: unknown[] = [];
    const mitigator = mitigatorWith({
      plan: () => ({ before: null, message: 'Would fail halfway' }),
      apply: async () => {
        throw new PartialApplyError(new Error('Disk full'), { done: [] }, { done: ['first'] });
      },
      rollback: async (execution) => {
        undone.push(execution.after);
        return 'Undid "first"';
      },
    });
    const record = await mitigator.execute({ action: kick, target: targetOf({}), source: MANUAL });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.errorCode, 'InternalFailureException');
    assert.equal(record.message, 'Disk full');
    assert.deepEqual(record.after, { done: ['first'] });

    const rolledBack = await mitigator.rollback(record.executionId);
    assert.deepEqual(undone, [{ done: ['first'] }]);
    assert.equal(rolledBack.rollbackMessage, 'Undid "first"');
  });

  test('second rollback is rejected', async () => {
    let release: () => void = () => undefined;
    const mitigator = mitigatorWith({
      plan: () => ({ before: null, message: 'Would do nothing' }),
      apply: async () => ({ before: null, after: {}, message: 'Did it' }),
      rollback: () => new Promise((resolve) => (release = () => resolve('Undid it'))),
    });
    const record = await mitigator.execute({ action: kick, target: targetOf({}), source: MANUAL });

    const first = mitigator.rollback(record.executionId);
    await assert.rejects(mitigator.rollback(record.executionId), {
      code: 'ConflictingResourceUpdateException',
      message: `Mitigation execution "${record.executionId}" is already being rolled back`,
    });
    release();
    const rolledBack = await first;
    const at = new Date(rolledBack.rolledBackAt ?? 0).toISOString();
    await assert.rejects(mitigator.rollback(record.executionId), {
      code: 'InvalidRequestException',
      message: `Cannot roll back mitigation execution "${record.executionId}": it was already rolled back at ${at}`,
    });
  });

  test('failed rollback can be retried', async () => {
    let attempts = 0;
    const mitigator = mitigatorWith({
      plan: () => ({ before: null, message: 'Would do nothing' }),
      apply: async () => ({ before: null, after: {}, message: 'Did it' }),
      rollback: async () => {
        attempts++;
        if (attempts === 1) throw new Error('Registry unavailable');
        return 'Undid it';
      },
    });
    const record = await mitigator.execute({ action: kick, target: targetOf({}), source: MANUAL });
    await assert.rejects(mitigator.rollback(record.executionId), {
      message: 'Registry unavailable',
    });
    const stored = await fixture.store.getExecution(record.executionId);
    assert.equal(stored?.rollbackMessage, 'Rollback failed: Registry unavailable');
    assert.equal(stored?.rolledBackAt, undefined);

    const retried = await mitigator.rollback(record.executionId);
    assert.equal(retried.rollbackMessage, 'Undid it');
  });

  test('messages cut to 2048 characters', async () => {
    const mitigator = mitigatorWith({
      plan: () => ({ before: null, message: 'Would do nothing' }),
      apply: async () => ({ before: null, after: {}, message: 'x'.repeat(5000) }),
      rollback: async () => 'Undid it',
    });
    const record = await mitigator.execute({ action: kick, target: targetOf({}), source: MANUAL });
    assert.equal(record.message?.length, 2048);
    assert.equal(record.message?.endsWith('x…'), true);
  });

  test('unknown execution and type rejected', async () => {
    await assert.rejects(fixture.mitigator.rollback('no-such-execution'), {
      code: 'ResourceNotFoundException',
      message: 'Mitigation execution "no-such-execution" does not exist',
    });
    const unknown = { ...kick, actionType: 'REBOOT_DEVICE' } as unknown as MitigationAction;
    await assert.rejects(
      fixture.mitigator.execute({ action: unknown, target: targetOf({}), source: MANUAL }),
      {
        code: 'InvalidRequestException',
        message: 'Unknown mitigation action type "REBOOT_DEVICE"',
      },
    );
  });
});
