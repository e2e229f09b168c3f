import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { WardenError } from '../../core/errors.ts';
import type { AutoResponseRuleInput } from './auto-response-rule.ts';
import { AutoResponseRules } from './auto-response-rules.ts';
import { AUTO_RESPONSE_GUARD_KIND, HourlyGuard } from './hourly-guard.ts';
import { createMitigationTestKit, putTestAction, type MitigationTestKit } from './test-kit.ts';

const ALERT_ARN = 'arn:aws:sns:us-east-1:123456789012:guard-alerts';

describe('auto-response rules', () => {
  let kit: MitigationTestKit;
  let rules: AutoResponseRules;

  beforeEach(async () => {
    kit = await createMitigationTestKit();
    await putTestAction(kit, 'quarantine', 'ADD_THINGS_TO_THING_GROUP');
    await putTestAction(kit, 'deactivate-ca', 'UPDATE_CA_CERTIFICATE');
    rules = new AutoResponseRules({
      store: kit.store,
      clock: kit.clock,
      checkNames: ['DEVICE_CERTIFICATE_SHARED_CHECK', 'CA_CERTIFICATE_EXPIRING_CHECK'],
      hasAlertTarget: (name) => name === 'guard-alerts',
    });
  });

  test('fills in the safe defaults', async () => {
    const rule = await rules.put('ports', {
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
    });
    assert.deepEqual(rule, {
      ruleName: 'ports',
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
      dryRun: true,
      maxThingsPerHour: 10,
      enabled: true,
      createdAt: kit.clock.now(),
      lastModifiedAt: kit.clock.now(),
    });
    assert.deepEqual(await rules.get('ports'), rule);
  });

  test('keeps the creation time and guard window on replace', async () => {
    const created = kit.clock.now();
    await rules.put('ports', {
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
    });
    const guard = new HourlyGuard(kit.store);
    await guard.admit('ports', { key: 'thing:a', label: 'a' }, 10, created);

    kit.clock.advance(5000);
    const replaced = await rules.put('ports', {
      trigger: { securityProfileName: 'ports', behaviorName: 'many-ports' },
      actions: ['quarantine'],
      dryRun: false,
      maxThingsPerHour: 3,
      alertTargetArn: ALERT_ARN,
      enabled: false,
    });
    assert.equal(replaced.createdAt, created);
    assert.equal(replaced.lastModifiedAt, created + 5000);
    assert.deepEqual(replaced.trigger, {
      securityProfileName: 'ports',
      behaviorName: 'many-ports',
    });
    assert.equal(replaced.alertTargetArn, ALERT_ARN);
    assert.equal(replaced.enabled, false);
    assert.deepEqual(
      (await guard.view('ports', kit.clock.now())).acted.map((entry) => entry.label),
      ['a'],
    );
  });

  test('stores a check trigger with its reason codes', async () => {
    const rule = await rules.put('expiring-ca', {
      trigger: { checkName: 'CA_CERTIFICATE_EXPIRING_CHECK', reasonCodes: ['EXPIRING'] },
      actions: ['deactivate-ca'],
    });
    assert.deepEqual(rule.trigger, {
      checkName: 'CA_CERTIFICATE_EXPIRING_CHECK',
      reasonCodes: ['EXPIRING'],
    });
  });

  test('rejects what does not fit the rest of Warden', async () => {
    const cases: [AutoResponseRuleInput, string][] = [
      [
        { trigger: { securityProfileName: 'ports' }, actions: ['quarantine', 'missing'] },
        'Unknown mitigation action "missing" at "actions[1]": create it with CreateMitigationAction first',
      ],
      [
        { trigger: { securityProfileName: 'ports' }, actions: ['deactivate-ca'] },
        'Mitigation action "deactivate-ca" at "actions[0]" has type UPDATE_CA_CERTIFICATE, which a violation trigger cannot run; use one of ADD_THINGS_TO_THING_GROUP, UPDATE_DEVICE_CERTIFICATE, PUBLISH_FINDING_TO_SNS, DISCONNECT_CLIENT, BAN, THROTTLE_PUBLISH',
      ],
      [
        { trigger: { checkName: 'DEVICE_CERTIFICATE_SHARED_CHECK' }, actions: ['deactivate-ca'] },
        'Mitigation action "deactivate-ca" at "actions[0]" has type UPDATE_CA_CERTIFICATE, which findings of DEVICE_CERTIFICATE_SHARED_CHECK cannot run; use one of PUBLISH_FINDING_TO_SNS, UPDATE_DEVICE_CERTIFICATE, ADD_THINGS_TO_THING_GROUP, DISCONNECT_CLIENT, BAN, THROTTLE_PUBLISH',
      ],
      [
        { trigger: { checkName: 'NO_SUCH_CHECK' }, actions: ['quarantine'] },
        'Unknown audit check "NO_SUCH_CHECK" at "trigger.checkName"; known checks: CA_CERTIFICATE_EXPIRING_CHECK, DEVICE_CERTIFICATE_SHARED_CHECK',
      ],
      [
        {
          trigger: { securityProfileName: 'ports' },
          actions: ['quarantine'],
          alertTargetArn: 'arn:aws:sns:us-east-1:123456789012:nobody',
        },
        'Alert target "nobody" of alertTargetArn "arn:aws:sns:us-east-1:123456789012:nobody" is not configured in Warden: add it to the alert targets file',
      ],
      [
        {
          trigger: { securityProfileName: 'ports' },
          actions: ['quarantine'],
          alertTargetArn: 'arn:aws:iot:us-east-1:123456789012:thing/x',
        },
        'Invalid alertTargetArn "arn:aws:iot:us-east-1:123456789012:thing/x": must be an SNS topic ARN, arn:aws:sns:REGION:ACCOUNT:NAME',
      ],
    ];
    for (const [input, message] of cases) {
      await assert.rejects(rules.put('bad', input), (error: unknown) => {
        assert.ok(error instanceof WardenError);
        assert.equal(error.code, 'InvalidRequestException');
        assert.equal(error.message, message);
        return true;
      });
    }
    assert.equal(await rules.get('bad'), undefined);
  });

  test('deletes the rule and its guard window', async () => {
    await rules.put('ports', {
      trigger: { securityProfileName: 'ports' },
      actions: ['quarantine'],
    });
    await new HourlyGuard(kit.store).admit('ports', { key: 'k', label: 'k' }, 1, kit.clock.now());

    await rules.delete('ports');
    assert.equal(await rules.get('ports'), undefined);
    assert.equal(await kit.store.getDocument(AUTO_RESPONSE_GUARD_KIND, 'ports'), undefined);
    await assert.rejects(rules.delete('ports'), {
      code: 'ResourceNotFoundException',
      message: 'Auto-response rule "ports" does not exist',
    });
  });

  test('lists rules by name', async () => {
    await rules.put('b-rule', { trigger: { securityProfileName: 'p' }, actions: ['quarantine'] });
    await rules.put('a-rule', { trigger: { securityProfileName: 'p' }, actions: ['quarantine'] });
    assert.deepEqual(
      (await rules.list()).map((rule) => rule.ruleName),
      ['a-rule', 'b-rule'],
    );
  });
});
