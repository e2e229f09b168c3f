import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuditCheck } from '../audit-check.ts';
import { ALL_CHECKS } from '../checks/index.ts';
import { applicableChecks, CHECK_INPUTS } from './check-inputs.ts';

function check(name: string): AuditCheck {
  return {
    name,
    severity: 'LOW',
    enabledByDefault: true,
    run: () => ({ totalResourcesCount: 0, nonCompliant: [] }),
  };
}

describe('checks an offline folder can run', () => {
  test('runs a check only when the folder has all of its inputs', () => {
    const checks = ['LOGGING_DISABLED_CHECK', 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK'].map(
      check,
    );

    const split = applicableChecks(checks, new Set(['certificates', 'logging']));

    assert.deepEqual(
      split.run.map((item) => item.name),
      ['LOGGING_DISABLED_CHECK'],
    );
    assert.deepEqual(split.notRun, [
      {
        checkName: 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
        reason: 'the folder has no CRLs',
      },
    ]);
  });

  test('names every missing input and never runs the connection checks', () => {
    const checks = [
      'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK',
      'DEVICE_CERTIFICATE_SHARED_CHECK',
    ].map(check);
    const everything = new Set(Object.values(CHECK_INPUTS).flat());
    everything.delete('connections');

    assert.deepEqual(applicableChecks(checks, new Set()).notRun, [
      {
        checkName: 'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK',
        reason: 'the folder has no role aliases and no IAM role documents',
      },
      {
        checkName: 'DEVICE_CERTIFICATE_SHARED_CHECK',
        reason: 'it needs connection history, which only a running Warden records',
      },
    ]);
    assert.deepEqual(
      applicableChecks(checks, everything).notRun.map((item) => item.checkName),
      ['DEVICE_CERTIFICATE_SHARED_CHECK'],
    );
  });

  test('runs checks it has no inputs listed for', () => {
    assert.deepEqual(applicableChecks([check('TEST_OWN_CHECK')], new Set()).run.length, 1);
  });

  test('lists the inputs of every shipped check', () => {
    for (const shipped of ALL_CHECKS) assert.ok(CHECK_INPUTS[shipped.name], shipped.name);
  });
});
