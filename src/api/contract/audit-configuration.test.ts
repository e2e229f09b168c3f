import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateScheduledAuditCommand,
  DeleteAccountAuditConfigurationCommand,
  DescribeAccountAuditConfigurationCommand,
  ListScheduledAuditsCommand,
  UpdateAccountAuditConfigurationCommand,
} from '@aws-sdk/client-iot';
import { ALL_CHECKS } from '../../audit/checks/index.ts';
import { TestWarden } from '../../testing/harness.ts';
import { ContractClient } from './contract-client.ts';

const AUDIT_ROLE = 'arn:aws:iam::123456789012:role/audit';
const OTHER_ROLE = 'arn:aws:iam::123456789012:role/audit-v2';
const NOTIFY_ROLE = 'arn:aws:iam::123456789012:role/audit-notify';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:audit-results';
const CHECK_NAMES = ALL_CHECKS.map((check) => check.name).sort();

describe('account audit configuration through the AWS SDK', () => {
  let warden: TestWarden;
  let iot: ContractClient;

  before(async () => {
    warden = await TestWarden.start();
    iot = new ContractClient(warden.endpoints.http);
  });

  after(async () => {
    iot?.sdk.destroy();
    await warden?.stop();
  });

  const describeConfiguration = () => iot.send(new DescribeAccountAuditConfigurationCommand({}));

  test('lists every check disabled before the first update', async () => {
    const configuration = await describeConfiguration();
    assert.equal(configuration.roleArn, undefined);
    assert.deepEqual(Object.keys(configuration.auditCheckConfigurations ?? {}).sort(), CHECK_NAMES);
    for (const [name, check] of Object.entries(configuration.auditCheckConfigurations ?? {}))
      assert.deepEqual(check, { enabled: false }, name);
    await iot.expectError(
      iot.send(new DeleteAccountAuditConfigurationCommand({})),
      'ResourceNotFoundException',
      'The account audit configuration is not set',
    );
  });

  test('the first update needs roleArn and an enabled check', async () => {
    await iot.expectError(
      iot.send(
        new UpdateAccountAuditConfigurationCommand({
          auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: true } },
        }),
      ),
      'InvalidRequestException',
      'The first UpdateAccountAuditConfiguration must set roleArn',
    );
    const mustEnable = 'The first UpdateAccountAuditConfiguration must enable at least one check';
    await iot.expectError(
      iot.send(new UpdateAccountAuditConfigurationCommand({ roleArn: AUDIT_ROLE })),
      'InvalidRequestException',
      mustEnable,
    );
    await iot.expectError(
      iot.send(
        new UpdateAccountAuditConfigurationCommand({
          roleArn: AUDIT_ROLE,
          auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: false } },
        }),
      ),
      'InvalidRequestException',
      mustEnable,
    );
    const unchanged = await describeConfiguration();
    assert.equal(unchanged.roleArn, undefined);
  });

  test('rejects an unknown check and bad configuration values', async () => {
    const cases: [
      Record<string, { enabled?: boolean; configuration?: Record<string, string> }>,
      string,
    ][] = [
      [
        { NO_SUCH_CHECK: { enabled: true } },
        `Unknown audit check "NO_SUCH_CHECK"; known checks: ${CHECK_NAMES.join(', ')}`,
      ],
      [
        {
          DEVICE_CERTIFICATE_AGE_CHECK: {
            enabled: true,
            configuration: { CERT_AGE_THRESHOLD_IN_DAYS: '10' },
          },
        },
        'Invalid CERT_AGE_THRESHOLD_IN_DAYS "10" for DEVICE_CERTIFICATE_AGE_CHECK: must be a whole number of days from 30 to 3652',
      ],
      [
        {
          DEVICE_CERTIFICATE_AGE_CHECK: {
            enabled: true,
            configuration: { CERT_AGE_THRESHOLD_IN_DAYS: 'ninety' },
          },
        },
        'Invalid CERT_AGE_THRESHOLD_IN_DAYS "ninety" for DEVICE_CERTIFICATE_AGE_CHECK: must be a whole number of days from 30 to 3652',
      ],
      [
        {
          DEVICE_CERTIFICATE_AGE_CHECK: {
            enabled: true,
            configuration: { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '30' },
          },
        },
        'Invalid configuration key "CERT_EXPIRATION_THRESHOLD_IN_DAYS" for DEVICE_CERTIFICATE_AGE_CHECK: the only key is CERT_AGE_THRESHOLD_IN_DAYS',
      ],
      [
        {
          DEVICE_CERTIFICATE_EXPIRING_CHECK: {
            enabled: true,
            configuration: { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '0' },
          },
        },
        'Invalid CERT_EXPIRATION_THRESHOLD_IN_DAYS "0" for DEVICE_CERTIFICATE_EXPIRING_CHECK: must be a whole number of days from 1 to 3652',
      ],
      [
        { LOGGING_DISABLED_CHECK: { enabled: true, configuration: { LEVEL: 'INFO' } } },
        'Invalid configuration key "LEVEL" for LOGGING_DISABLED_CHECK: the check takes no configuration',
      ],
    ];
    for (const [auditCheckConfigurations, message] of cases) {
      await iot.expectError(
        iot.send(
          new UpdateAccountAuditConfigurationCommand({
            roleArn: AUDIT_ROLE,
            auditCheckConfigurations: {
              IOT_POLICY_OVERLY_PERMISSIVE_CHECK: { enabled: true },
              ...auditCheckConfigurations,
            },
          }),
        ),
        'InvalidRequestException',
        message,
      );
    }
    // A rejected update stores none of its other changes.
    const unchanged = await describeConfiguration();
    assert.equal(unchanged.roleArn, undefined);
    assert.deepEqual(unchanged.auditCheckConfigurations?.['IOT_POLICY_OVERLY_PERMISSIVE_CHECK'], {
      enabled: false,
    });
  });

  test('stores checks and targets, merging later updates', async () => {
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        roleArn: AUDIT_ROLE,
        auditNotificationTargetConfigurations: {
          SNS: { targetArn: TOPIC, roleArn: NOTIFY_ROLE, enabled: true },
        },
        auditCheckConfigurations: {
          LOGGING_DISABLED_CHECK: { enabled: true },
          DEVICE_CERTIFICATE_AGE_CHECK: {
            enabled: true,
            configuration: { CERT_AGE_THRESHOLD_IN_DAYS: '90' },
          },
          DEVICE_CERTIFICATE_EXPIRING_CHECK: { enabled: true },
        },
      }),
    );
    const configuration = await describeConfiguration();
    assert.equal(configuration.roleArn, AUDIT_ROLE);
    assert.deepEqual(configuration.auditNotificationTargetConfigurations, {
      SNS: { targetArn: TOPIC, roleArn: NOTIFY_ROLE, enabled: true },
    });
    const checks = configuration.auditCheckConfigurations ?? {};
    assert.deepEqual(Object.keys(checks).sort(), CHECK_NAMES);
    assert.deepEqual(checks['DEVICE_CERTIFICATE_AGE_CHECK'], {
      enabled: true,
      configuration: { CERT_AGE_THRESHOLD_IN_DAYS: '90' },
    });
    assert.deepEqual(checks['LOGGING_DISABLED_CHECK'], { enabled: true });
    const enabled = Object.entries(checks)
      .filter(([, check]) => check.enabled)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(enabled, [
      'DEVICE_CERTIFICATE_AGE_CHECK',
      'DEVICE_CERTIFICATE_EXPIRING_CHECK',
      'LOGGING_DISABLED_CHECK',
    ]);

    // Later updates need neither roleArn nor an enabled check, and change only what they name.
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        auditNotificationTargetConfigurations: { SNS: { enabled: false } },
        auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: false } },
      }),
    );
    const merged = await describeConfiguration();
    assert.equal(merged.roleArn, AUDIT_ROLE);
    assert.deepEqual(merged.auditNotificationTargetConfigurations, {
      SNS: { targetArn: TOPIC, roleArn: NOTIFY_ROLE, enabled: false },
    });
    assert.deepEqual(merged.auditCheckConfigurations?.['LOGGING_DISABLED_CHECK'], {
      enabled: false,
    });
    assert.deepEqual(merged.auditCheckConfigurations?.['DEVICE_CERTIFICATE_AGE_CHECK'], {
      enabled: true,
      configuration: { CERT_AGE_THRESHOLD_IN_DAYS: '90' },
    });

    await iot.send(new UpdateAccountAuditConfigurationCommand({ roleArn: OTHER_ROLE }));
    assert.equal((await describeConfiguration()).roleArn, OTHER_ROLE);
  });

  test('rejects unknown members and a short role ARN', async () => {
    const unknown = await iot.raw(
      'UpdateAccountAuditConfiguration',
      'PATCH',
      '/audit/configuration',
      {
        auditChecks: {},
      },
    );
    assert.equal(unknown.status, 400);
    assert.equal(unknown.errorType, 'InvalidRequestException');
    assert.equal(
      unknown.body.message,
      "1 validation error detected: Unknown field 'auditChecks' in the request body",
    );
    await iot.expectError(
      iot.send(new UpdateAccountAuditConfigurationCommand({ roleArn: 'arn:aws:iam::1:r' })),
      'InvalidRequestException',
      "1 validation error detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
  });

  test('delete is rejected while scheduled audits exist', async () => {
    await iot.send(
      new CreateScheduledAuditCommand({
        scheduledAuditName: 'nightly',
        frequency: 'DAILY',
        targetCheckNames: ['DEVICE_CERTIFICATE_EXPIRING_CHECK'],
      }),
    );
    await iot.expectError(
      iot.send(new DeleteAccountAuditConfigurationCommand({})),
      'InvalidRequestException',
      'Cannot delete the audit configuration: 1 scheduled audit(s) exist; pass deleteScheduledAudits=true or delete them first',
    );
    await iot.expectError(
      iot.send(new DeleteAccountAuditConfigurationCommand({ deleteScheduledAudits: false })),
      'InvalidRequestException',
    );
    assert.equal((await describeConfiguration()).roleArn, OTHER_ROLE);

    await iot.send(new DeleteAccountAuditConfigurationCommand({ deleteScheduledAudits: true }));
    const schedules = await iot.send(new ListScheduledAuditsCommand({}));
    assert.deepEqual(schedules.scheduledAudits, []);
    const cleared = await describeConfiguration();
    assert.equal(cleared.roleArn, undefined);
    for (const [name, check] of Object.entries(cleared.auditCheckConfigurations ?? {}))
      assert.deepEqual(check, { enabled: false }, name);
  });

  test('delete without scheduled audits needs no flag', async () => {
    await iot.send(
      new UpdateAccountAuditConfigurationCommand({
        roleArn: AUDIT_ROLE,
        auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: true } },
      }),
    );
    await iot.send(new DeleteAccountAuditConfigurationCommand({}));
    await iot.expectError(
      iot.send(new DeleteAccountAuditConfigurationCommand({})),
      'ResourceNotFoundException',
      'The account audit configuration is not set',
    );
    await iot.expectError(
      iot.send(
        new UpdateAccountAuditConfigurationCommand({
          auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: true } },
        }),
      ),
      'InvalidRequestException',
      'The first UpdateAccountAuditConfiguration must set roleArn',
    );
  });
});
