import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WardenError } from '../../core/errors.ts';
import { accessLevel, authorize } from './access-policy.ts';

test('reads need any key, fleet operations an operator, setup changes an admin', () => {
  const levels = Object.fromEntries(
    [
      'ListThings',
      'DescribeSecurityProfile',
      'GetBehaviorModelTrainingSummaries',
      'ValidateSecurityProfileBehaviors',
      'Health',
      'StartOnDemandAuditTask',
      'UpdateCertificate',
      'RollBackMitigationExecution',
      'CreateSecurityProfile',
      'RegisterCACertificate',
      'UpdateAccountAuditConfiguration',
      'SetV2LoggingOptions',
      'SomethingNew',
    ].map((operation) => [operation, accessLevel(operation)]),
  );
  assert.deepEqual(levels, {
    ListThings: 'read',
    DescribeSecurityProfile: 'read',
    GetBehaviorModelTrainingSummaries: 'read',
    ValidateSecurityProfileBehaviors: 'read',
    Health: 'read',
    StartOnDemandAuditTask: 'operate',
    UpdateCertificate: 'operate',
    RollBackMitigationExecution: 'operate',
    CreateSecurityProfile: 'administer',
    RegisterCACertificate: 'administer',
    UpdateAccountAuditConfiguration: 'administer',
    SetV2LoggingOptions: 'administer',
    SomethingNew: 'administer',
  });
});

test('rejects calls above the key policy', () => {
  const reader = {
    accessKeyId: 'AKIAREADER0000000001',
    name: 'dash',
    policy: 'read-only' as const,
  };
  authorize(reader, 'ListAuditFindings');
  assert.throws(
    () => authorize(reader, 'UpdateCertificate'),
    (error: unknown) =>
      error instanceof WardenError &&
      error.code === 'AccessDeniedException' &&
      error.status === 403 &&
      error.message ===
        'Key "dash" (read-only) may not call UpdateCertificate: it needs an operator or admin key',
  );
  const admin = { ...reader, name: 'root', policy: 'admin' as const };
  authorize(admin, 'DeleteSecurityProfile');
});
