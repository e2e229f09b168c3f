import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_CHECKS } from '../../audit/checks/index.ts';
import { AUDIT_CHECK_ACTION_TYPES, DETECT_ACTION_TYPES } from './allowed-actions.ts';

const WARDEN_TYPES = ['DISCONNECT_CLIENT', 'BAN', 'THROTTLE_PUBLISH'] as const;

describe('allowed mitigation action types', () => {
  test('covers every audit check Warden runs', () => {
    const missing = ALL_CHECKS.map((check) => check.name).filter(
      (name) => AUDIT_CHECK_ACTION_TYPES[name] === undefined,
    );
    assert.deepEqual(missing, []);
  });

  test('every check may notify; only device and client checks take Warden types', () => {
    const wardenChecks: string[] = [];
    for (const [checkName, types] of Object.entries(AUDIT_CHECK_ACTION_TYPES)) {
      assert.ok(types.includes('PUBLISH_FINDING_TO_SNS'), checkName);
      const warden = WARDEN_TYPES.filter((type) => types.includes(type));
      assert.ok(warden.length === 0 || warden.length === WARDEN_TYPES.length, checkName);
      if (warden.length > 0) wardenChecks.push(checkName);
    }
    assert.deepEqual(wardenChecks.sort(), [
      'CONFLICTING_CLIENT_IDS_CHECK',
      'DEVICE_CERTIFICATE_AGE_CHECK',
      'DEVICE_CERTIFICATE_EXPIRING_CHECK',
      'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK',
      'DEVICE_CERTIFICATE_SHARED_CHECK',
      'INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK',
      'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
    ]);
  });

  test('violations take no action that changes a shared CA, policy or setting', () => {
    for (const shared of [
      'UPDATE_CA_CERTIFICATE',
      'REPLACE_DEFAULT_POLICY_VERSION',
      'ENABLE_IOT_LOGGING',
    ] as const)
      assert.equal(DETECT_ACTION_TYPES.includes(shared), false, shared);
    assert.ok(DETECT_ACTION_TYPES.includes('ADD_THINGS_TO_THING_GROUP'));
  });
});
