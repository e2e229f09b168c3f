import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ALL_CHECKS } from './index.ts';
import { ARNS, DAY, NOW, runCheck, TestFleet } from './test-fleet.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const THING = '${iot:Connection.Thing.ThingName}';

/** Severity of each check, from the Device Defender check catalogue. */
const SEVERITIES: Record<string, string> = {
  AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: 'CRITICAL',
  UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: 'CRITICAL',
  CA_CERTIFICATE_EXPIRING_CHECK: 'MEDIUM',
  CA_CERTIFICATE_KEY_QUALITY_CHECK: 'CRITICAL',
  CONFLICTING_CLIENT_IDS_CHECK: 'HIGH',
  DEVICE_CERTIFICATE_EXPIRING_CHECK: 'MEDIUM',
  DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: 'CRITICAL',
  DEVICE_CERTIFICATE_SHARED_CHECK: 'CRITICAL',
  DEVICE_CERTIFICATE_AGE_CHECK: 'LOW',
  INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK: 'CRITICAL',
  IOT_POLICY_OVERLY_PERMISSIVE_CHECK: 'CRITICAL',
  IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: 'MEDIUM',
  IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK: 'MEDIUM',
  IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK: 'CRITICAL',
  LOGGING_DISABLED_CHECK: 'LOW',
  REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK: 'CRITICAL',
  REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK: 'MEDIUM',
};

/** Builds a fleet with some of everything, all of it compliant. */
async function cleanFleet(): Promise<TestFleet> {
  const test = new TestFleet();
  const root = await test.addCa('Root CA');
  const issuing = await test.addCa('Issuing CA', { parent: root });
  const sensor = await test.addDevice(issuing, 'sensor-1');
  const lamp = await test.addDevice(issuing, 'lamp-1');
  const retired = await test.addDevice(issuing, 'retired-1', { status: 'REVOKED' });
  await test.addCrl(root, []);
  await test.addCrl(issuing, [retired]);

  test.addPolicy(
    'device-policy',
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iot:Connect',
          Resource: `${ARN}:client/${THING}`,
          Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
        },
        {
          Effect: 'Allow',
          Action: ['iot:Publish', 'iot:Receive'],
          Resource: `${ARN}:topic/$aws/things/${THING}/shadow/*`,
        },
        {
          Effect: 'Allow',
          Action: 'iot:Subscribe',
          Resource: `${ARN}:topicfilter/$aws/things/${THING}/shadow/*`,
        },
        {
          Effect: 'Deny',
          Action: 'iot:Receive',
          Resource: `${ARN}:topic/$aws/things/${THING}/shadow/secret/*`,
        },
      ],
    },
    [ARNS.certificate(sensor.record.certificateId), ARNS.certificate(lamp.record.certificateId)],
  );

  const roleArn = 'arn:aws:iam::123456789012:role/device-credentials';
  test.addRole(
    roleArn,
    [
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*' },
        ],
      },
    ],
    { s3: 2 },
  );
  test.addRoleAlias('device-credentials', roleArn);
  const guest = 'arn:aws:iam::123456789012:role/guest';
  test.addRole(guest, [
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'iot:Connect',
          Resource: `${ARN}:client/\${cognito-identity.amazonaws.com:sub}`,
        },
      ],
    },
  ]);
  test.addIdentityPool('us-east-1:pool', { authenticated: guest, unauthenticated: guest }, 2);

  const since = NOW - 5 * DAY;
  test.addSession({
    clientId: 'sensor-1',
    certificateId: sensor.record.certificateId,
    from: since,
    to: since + 60_000,
  });
  test.addSession({
    clientId: 'lamp-1',
    certificateId: lamp.record.certificateId,
    from: since,
    sourceIp: '198.51.100.20',
  });
  return test;
}

describe('ALL_CHECKS', () => {
  test('lists each check once under its AWS name and severity', () => {
    const names = ALL_CHECKS.map((check) => check.name);

    assert.equal(new Set(names).size, names.length);
    for (const check of ALL_CHECKS) {
      assert.equal(check.severity, SEVERITIES[check.name], check.name);
    }
    const missing = Object.keys(SEVERITIES).filter((name) => !names.includes(name));
    assert.ok(
      missing.every((name) => name.endsWith('_KEY_QUALITY_CHECK')),
      `missing checks: ${missing.join(', ')}`,
    );
  });

  test('enables every check by default except the certificate age check', () => {
    const disabled = ALL_CHECKS.filter((check) => !check.enabledByDefault).map(
      (check) => check.name,
    );

    assert.deepEqual(disabled, ['DEVICE_CERTIFICATE_AGE_CHECK']);
  });

  test('finds nothing in a clean fleet', async () => {
    const test = await cleanFleet();
    for (const check of ALL_CHECKS) {
      const result = await runCheck(check, test.fleet, {}, NOW);
      assert.deepEqual(result.nonCompliant, [], check.name);
      assert.equal(result.waitingForDataCollection, undefined, check.name);
      assert.ok(result.totalResourcesCount > 0, `${check.name} examined nothing`);
    }
  });
});
