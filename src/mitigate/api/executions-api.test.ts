import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import {
  startTestMitigationApi,
  type TestMitigationApi,
} from '../auto-response/test-mitigation-api.ts';
import { putTestAction } from '../auto-response/test-kit.ts';

const EXECUTIONS = '/warden/mitigations/executions';
const MINUTE = 60 * 1000;

function thingTarget(thingName: string): MitigationTarget {
  return {
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [thingName],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject: { thingName },
  };
}

describe('execution routes', () => {
  let api: TestMitigationApi;
  let quarantine: MitigationAction;
  const start = Date.UTC(2026, 11, 4, 12);

  before(async () => {
    api = await startTestMitigationApi();
    api.kit.clock.set(start);
    quarantine = await putTestAction(api.kit, 'quarantine', 'ADD_THINGS_TO_THING_GROUP');
  });

  after(async () => {
    await api?.stop();
  });

  async function quarantineThing(thingName: string, options: { dryRun?: boolean } = {}) {
    const execution = await api.kit.mitigator.execute({
      action: quarantine,
      target: thingTarget(thingName),
      source: { kind: 'manual', reason: 'test' },
      taskId: `task-${thingName}`,
      dryRun: options.dryRun ?? false,
    });
    api.kit.clock.advance(MINUTE);
    return execution;
  }

  const groupsOf = (thing: string) => api.kit.registry.linkedTo('thing-group-member', thing);

  test('lists executions with filters and pages', async () => {
    const first = await quarantineThing('list-a');
    const second = await quarantineThing('list-b');
    const third = await quarantineThing('list-a');
    const ids = (response: { body: { executions: { executionId: string }[] } }) =>
      response.body.executions.map((execution) => execution.executionId);

    const byThing = await api.call('GET', `${EXECUTIONS}?thingName=list-a`);
    assert.equal(byThing.status, 200);
    assert.deepEqual(ids(byThing), [first.executionId, third.executionId]);
    assert.deepEqual(ids(await api.call('GET', `${EXECUTIONS}?taskId=task-list-b`)), [
      second.executionId,
    ]);

    const from = new Date(second.startTime).toISOString();
    const until = new Date(third.startTime).toISOString();
    assert.deepEqual(
      ids(await api.call('GET', `${EXECUTIONS}?startTime=${from}&endTime=${until}`)),
      [second.executionId],
    );

    const page = await api.call('GET', `${EXECUTIONS}?thingName=list-a&maxResults=1`);
    assert.deepEqual(ids(page), [first.executionId]);
    const next = await api.call(
      'GET',
      `${EXECUTIONS}?thingName=list-a&maxResults=1&nextToken=${page.body.nextToken}`,
    );
    assert.deepEqual(ids(next), [third.executionId]);
    assert.equal(next.body.nextToken, undefined);

    const item = byThing.body.executions[0];
    assert.equal(item.startTime, first.startTime / 1000);
    assert.equal(item.target.subject, undefined, 'list items leave out the subject');
    assert.equal(item.before, undefined);
  });

  test('rejects invalid list filters', async () => {
    const cases: [string, string][] = [
      [
        '?startTime=2026-12-05T00:00:00Z&endTime=2026-12-04T00:00:00Z',
        'Invalid time range: startTime "2026-12-05T00:00:00Z" is after endTime "2026-12-04T00:00:00Z"',
      ],
      [
        '?startTime=yesterday',
        "1 validation error detected: Value 'yesterday' at 'startTime' failed to satisfy constraint: Member must be an ISO-8601 time or epoch seconds",
      ],
      [
        '?thingName=bad%20name',
        "1 validation error detected: Value 'bad name' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+",
      ],
      [
        '?maxResults=0',
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must be an integer between 1 and 250",
      ],
    ];
    for (const [query, message] of cases) {
      const response = await api.call('GET', `${EXECUTIONS}${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(response.errorType, 'InvalidRequestException');
      assert.equal(response.body.message, message);
    }
  });

  test('describes an execution with its state before and after', async () => {
    const execution = await quarantineThing('describe-a');
    const described = await api.call('GET', `${EXECUTIONS}/${execution.executionId}`);
    assert.equal(described.status, 200);
    assert.equal(described.body.executionId, execution.executionId);
    assert.equal(described.body.actionType, 'ADD_THINGS_TO_THING_GROUP');
    assert.deepEqual(described.body.before, { thingGroups: { 'describe-a': [] } });
    assert.deepEqual(described.body.after, { thingGroups: { 'describe-a': ['quarantine'] } });
    assert.deepEqual(described.body.target.subject, { thingName: 'describe-a' });

    const missing = await api.call('GET', `${EXECUTIONS}/no-such-execution`);
    assert.equal(missing.status, 404);
    assert.equal(missing.errorType, 'ResourceNotFoundException');
    assert.equal(missing.body.message, 'Execution "no-such-execution" does not exist');
  });

  test('rolls back an execution once', async () => {
    const execution = await quarantineThing('rollback-a');
    assert.deepEqual(groupsOf('rollback-a'), ['quarantine']);

    const path = `${EXECUTIONS}/${execution.executionId}/rollback`;
    const rolledBack = await api.call('POST', path);
    assert.equal(rolledBack.status, 200);
    assert.deepEqual(groupsOf('rollback-a'), []);
    assert.equal(rolledBack.body.rolledBackAt, api.kit.clock.now() / 1000);
    assert.deepEqual(rolledBack.body.before, { thingGroups: { 'rollback-a': [] } });

    const again = await api.call('POST', path);
    assert.equal(again.status, 400);
    assert.equal(again.errorType, 'InvalidRequestException');
    assert.equal(
      again.body.message,
      `Cannot roll back mitigation execution "${execution.executionId}": it was already rolled back at ${new Date(api.kit.clock.now()).toISOString()}`,
    );
  });

  test("passes the mitigator's refusals through", async () => {
    const dryRun = await quarantineThing('rollback-dry', { dryRun: true });
    api.kit.mitigator.failing.add('quarantine');
    const failed = await quarantineThing('rollback-failed');
    api.kit.mitigator.failing.delete('quarantine');
    const cases: [string, string][] = [
      [
        dryRun.executionId,
        `Cannot roll back mitigation execution "${dryRun.executionId}": it was a dry run and changed nothing`,
      ],
      [
        failed.executionId,
        `Cannot roll back mitigation execution "${failed.executionId}": it is FAILED`,
      ],
    ];
    for (const [id, message] of cases) {
      const response = await api.call('POST', `${EXECUTIONS}/${id}/rollback`);
      assert.equal(response.status, 400, id);
      assert.equal(response.errorType, 'InvalidRequestException');
      assert.equal(response.body.message, message);
    }
  });

  test('rejects a rollback of an unknown execution before the mitigator', async () => {
    const cases: [string, number, string, string][] = [
      ['missing-id', 404, 'ResourceNotFoundException', 'Execution "missing-id" does not exist'],
      [
        'bad%20id',
        400,
        'InvalidRequestException',
        "1 validation error detected: Value 'bad id' at 'executionId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9._:-]+",
      ],
    ];
    const before = api.kit.mitigator.rollbacks.length;
    for (const [id, status, errorType, message] of cases) {
      const response = await api.call('POST', `${EXECUTIONS}/${id}/rollback`);
      assert.equal(response.status, status, id);
      assert.equal(response.errorType, errorType);
      assert.equal(response.body.message, message);
    }
    assert.equal(api.kit.mitigator.rollbacks.length, before, 'the mitigator was not called');
  });

  test('rejects a second rollback while the first runs', async () => {
    const execution = await quarantineThing('rollback-race');
    const mitigator = api.kit.mitigator;
    let release!: () => void;
    mitigator.rollbackGate = new Promise<void>((resolve) => (release = resolve));
    try {
      const path = `${EXECUTIONS}/${execution.executionId}/rollback`;
      const first = api.call('POST', path);
      for (
        let tries = 0;
        tries < 400 && !mitigator.rollbacks.includes(execution.executionId);
        tries++
      )
        await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await api.call('POST', path);
      assert.equal(second.status, 409);
      assert.equal(second.errorType, 'ConflictingResourceUpdateException');
      assert.equal(
        second.body.message,
        `Mitigation execution "${execution.executionId}" is already being rolled back`,
      );
      release();
      assert.equal((await first).status, 200);
    } finally {
      release();
      mitigator.rollbackGate = Promise.resolve();
    }
  });
});
