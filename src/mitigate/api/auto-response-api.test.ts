import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  startTestMitigationApi,
  type TestMitigationApi,
} from '../auto-response/test-mitigation-api.ts';
import { putTestAction } from '../auto-response/test-kit.ts';

const RULES = '/warden/auto-responses';
const ALERT_ARN = 'arn:aws:sns:us-east-1:123456789012:guard-alerts';

describe('auto-response routes', () => {
  let api: TestMitigationApi;

  before(async () => {
    api = await startTestMitigationApi();
    await putTestAction(api.kit, 'quarantine', 'ADD_THINGS_TO_THING_GROUP');
  });

  after(async () => {
    await api?.stop();
  });

  beforeEach(async () => {
    for (const rule of await api.rules.list()) await api.rules.delete(rule.ruleName);
  });

  test('creates a rule with the safe defaults', async () => {
    const created = await api.call('PUT', `${RULES}/ports`, {
      trigger: { securityProfileName: 'ports', behaviorName: 'many-ports' },
      actions: ['quarantine'],
    });
    assert.equal(created.status, 200);
    const seconds = api.kit.clock.now() / 1000;
    assert.deepEqual(created.body, {
      ruleName: 'ports',
      trigger: { securityProfileName: 'ports', behaviorName: 'many-ports' },
      actions: ['quarantine'],
      dryRun: true,
      maxThingsPerHour: 10,
      enabled: true,
      createdAt: seconds,
      lastModifiedAt: seconds,
    });
  });

  test('describes a rule with its guard window', async () => {
    await api.call('PUT', `${RULES}/ports`, {
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
      maxThingsPerHour: 1,
      alertTargetArn: ALERT_ARN,
    });
    const now = api.kit.clock.now();
    await api.responder.guard.admit('ports', { key: 'thing:a', label: 'a' }, 1, now);
    await api.responder.guard.admit('ports', { key: 'thing:b', label: 'b' }, 1, now);

    const described = await api.call('GET', `${RULES}/ports`);
    assert.equal(described.status, 200);
    assert.equal(described.body.alertTargetArn, ALERT_ARN);
    assert.deepEqual(described.body.guard, {
      windowSeconds: 3600,
      thingsActedOn: ['a'],
      tripped: true,
      trip: { trippedAt: now / 1000, skippedThings: ['b'], skippedCount: 1, alerted: false },
    });
  });

  test('lists rules page by page', async () => {
    for (const name of ['c', 'a', 'b'])
      await api.call('PUT', `${RULES}/${name}`, {
        trigger: { securityProfileName: 'ports' },
        actions: ['quarantine'],
      });
    const first = await api.call('GET', `${RULES}?maxResults=2`);
    assert.deepEqual(
      first.body.autoResponses.map((rule: { ruleName: string }) => rule.ruleName),
      ['a', 'b'],
    );
    const second = await api.call('GET', `${RULES}?maxResults=2&nextToken=${first.body.nextToken}`);
    assert.deepEqual(
      second.body.autoResponses.map((rule: { ruleName: string }) => rule.ruleName),
      ['c'],
    );
    assert.equal(second.body.nextToken, undefined);
  });

  test('deletes a rule', async () => {
    await api.call('PUT', `${RULES}/ports`, {
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
    });
    assert.equal((await api.call('DELETE', `${RULES}/ports`)).status, 200);
    const missing = await api.call('GET', `${RULES}/ports`);
    assert.equal(missing.status, 404);
    assert.equal(missing.errorType, 'ResourceNotFoundException');
    assert.equal(missing.body.message, 'Auto-response rule "ports" does not exist');
    assert.equal((await api.call('DELETE', `${RULES}/ports`)).status, 404);
  });

  test('lists the guard events of a rule', async () => {
    await api.call('PUT', `${RULES}/ports`, {
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
    });
    const time = api.kit.clock.now();
    await api.responder.events.record({
      ruleName: 'ports',
      type: 'guard-tripped',
      time,
      message: 'tripped',
      details: { maxThingsPerHour: 10 },
    });
    const listed = await api.call('GET', `${RULES}/ports/events`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.events.length, 1);
    assert.equal(listed.body.events[0].type, 'guard-tripped');
    assert.equal(listed.body.events[0].time, time / 1000);
    assert.equal((await api.call('GET', `${RULES}/nothing/events`)).status, 404);
  });

  test('rejects invalid rules with the offending member named', async () => {
    const valid = { trigger: { securityProfileName: 'ports' }, actions: ['quarantine'] };
    const cases: [string, unknown, string][] = [
      [
        'ports',
        { ...valid, extra: 1 },
        "1 validation error detected: Unknown field 'extra' in the request body",
      ],
      [
        'ports',
        { ...valid, trigger: { securityProfileName: 'ports', checkName: 'X_CHECK' } },
        `1 validation error detected: Value '{"securityProfileName":"ports","checkName":"X_CHECK"}' at 'trigger' failed to satisfy constraint: Member must set exactly one of securityProfileName (a violation trigger) and checkName (a check trigger)`,
      ],
      [
        'ports',
        { ...valid, trigger: {} },
        "1 validation error detected: Value '{}' at 'trigger' failed to satisfy constraint: Member must set exactly one of securityProfileName (a violation trigger) and checkName (a check trigger)",
      ],
      [
        'ports',
        { ...valid, trigger: { checkName: 'DEVICE_CERTIFICATE_SHARED_CHECK', behaviorName: 'b' } },
        "1 validation error detected: Value 'b' at 'trigger.behaviorName' failed to satisfy constraint: Member is allowed only with securityProfileName",
      ],
      [
        'ports',
        { ...valid, trigger: { securityProfileName: 'ports', reasonCodes: ['CODE'] } },
        `1 validation error detected: Value '["CODE"]' at 'trigger.reasonCodes' failed to satisfy constraint: Member is allowed only with checkName`,
      ],
      [
        'ports',
        { ...valid, actions: [] },
        "1 validation error detected: Value '[]' at 'actions' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ],
      [
        'ports',
        { ...valid, actions: ['a', 'b', 'c', 'd', 'e', 'f'] },
        `1 validation error detected: Value '["a","b","c","d","e","f"]' at 'actions' failed to satisfy constraint: Member must have length less than or equal to 5`,
      ],
      [
        'ports',
        { ...valid, actions: ['quarantine', 'quarantine'] },
        `1 validation error detected: Value '["quarantine","quarantine"]' at 'actions' failed to satisfy constraint: Member must not repeat an action`,
      ],
      [
        'ports',
        { ...valid, maxThingsPerHour: 0 },
        "1 validation error detected: Value '0' at 'maxThingsPerHour' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ],
      [
        'ports',
        { ...valid, maxThingsPerHour: 10001 },
        "1 validation error detected: Value '10001' at 'maxThingsPerHour' failed to satisfy constraint: Member must have value less than or equal to 10000",
      ],
      [
        'ports',
        { ...valid, maxThingsPerHour: 2.5 },
        "1 validation error detected: Value '2.5' at 'maxThingsPerHour' failed to satisfy constraint: Member must be of type int",
      ],
      [
        'ports',
        { ...valid, dryRun: 'no' },
        "1 validation error detected: Value 'no' at 'dryRun' failed to satisfy constraint: Member must be of type boolean",
      ],
      [
        'ports',
        { ...valid, alertTargetArn: 'guard-alerts' },
        "1 validation error detected: Value 'guard-alerts' at 'alertTargetArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws[a-z-]*:sns:[^:]*:[^:]*:[A-Za-z0-9_-]{1,256}",
      ],
      [
        'ports',
        { trigger: valid.trigger },
        "1 validation error detected: Value null at 'actions' failed to satisfy constraint: Member must not be null",
      ],
      [
        'bad.name',
        valid,
        "1 validation error detected: Value 'bad.name' at 'ruleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
      ],
      [
        'ports',
        { ...valid, actions: ['missing'] },
        'Unknown mitigation action "missing" at "actions[0]": create it with CreateMitigationAction first',
      ],
      [
        'ports',
        { ...valid, alertTargetArn: 'arn:aws:sns:us-east-1:123456789012:elsewhere' },
        'Alert target "elsewhere" of alertTargetArn "arn:aws:sns:us-east-1:123456789012:elsewhere" is not configured in Warden: add it to the alert targets file',
      ],
    ];
    for (const [name, body, message] of cases) {
      const response = await api.call('PUT', `${RULES}/${name}`, body);
      assert.equal(response.status, 400, message);
      assert.equal(response.errorType, 'InvalidRequestException');
      assert.equal(response.body.message, message);
    }
    assert.deepEqual(await api.rules.list(), []);
  });
});
