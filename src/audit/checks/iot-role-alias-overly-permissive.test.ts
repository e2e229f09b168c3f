import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { iotRoleAliasOverlyPermissiveCheck as check } from './iot-role-alias-overly-permissive.ts';
import { reasonCodes, runCheck, TestFleet } from './test-fleet.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const ROLE = 'arn:aws:iam::123456789012:role/device-credentials';
const THING = '${iot:Connection.Thing.ThingName}';
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/readings';

async function judge(statements: unknown[], usedDaysAgo: Record<string, number> = { iot: 1 }) {
  const test = new TestFleet();
  const Statement = statements.map((item) => ({ Effect: 'Allow', ...(item as object) }));
  test.addRole(ROLE, [{ Version: '2012-10-17', Statement }], usedDaysAgo);
  const roleAliasArn = test.addRoleAlias('device-credentials', ROLE);
  return { roleAliasArn, result: await runCheck(check, test.fleet) };
}

describe('IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK', () => {
  test('finds nothing for a role scoped to the device and named resources', async () => {
    const { result } = await judge(
      [
        { Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/things/${THING}/shadow/update` },
        { Action: ['dynamodb:PutItem', 'dynamodb:GetItem'], Resource: TABLE },
        { Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*' },
      ],
      { iot: 1, dynamodb: 2, s3: 300 },
    );

    assert.deepEqual(result, { totalResourcesCount: 1, nonCompliant: [] });
  });

  test('reports every action of a service used in the past year', async () => {
    const { result, roleAliasArn } = await judge(
      [{ Sid: 'Table', Action: 'dynamodb:*', Resource: TABLE }],
      {
        dynamodb: 100,
      },
    );

    assert.deepEqual(result.nonCompliant, [
      {
        resource: { resourceType: 'ROLE_ALIAS', resourceIdentifier: { roleAliasArn } },
        relatedResources: [{ resourceType: 'IAM_ROLE', resourceIdentifier: { iamRoleArn: ROLE } }],
        reasonForNonCompliance: `Role alias allows every action of services it used in the past year: [dynamodb]. In role "${ROLE}", dynamodb by policy document 0: statement 0 (Sid "Table") allows "dynamodb:*".`,
        reasonForNonComplianceCode: 'ALLOWS_BROAD_ACCESS_TO_USED_SERVICES',
      },
    ]);
  });

  test('ignores full access to an unused service', async () => {
    const { result } = await judge([{ Action: 'dynamodb:*', Resource: TABLE }], { dynamodb: 366 });

    assert.deepEqual(result.nonCompliant, []);
  });

  test('reports any access to a security auditing service', async () => {
    for (const action of [
      'iam:GetRole',
      'cloudtrail:LookupEvents',
      'guardduty:ListFindings',
      'inspector:ListFindings',
      'trustedadvisor:Describe*',
      'IAM:PassRole',
    ]) {
      const { result } = await judge([{ Action: action, Resource: '*' }]);
      assert.deepEqual(
        reasonCodes(result),
        ['ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES'],
        action,
      );
    }
    const { result } = await judge([{ Action: 'iam:GetRole', Resource: '*' }]);
    assert.equal(
      result.nonCompliant[0]?.reasonForNonCompliance,
      `Role alias allows access to security auditing services: [iam]. In role "${ROLE}", iam by policy document 0: statement 0 allows "iam:GetRole".`,
    );
  });

  test('reports the IoT action rules with their own codes', async () => {
    const cases: [unknown, string][] = [
      [
        { Action: 'iot:DescribeThing', Resource: `${ARN}:thing/*` },
        'ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS',
      ],
      [
        { Action: 'iot:ListCertificates', Resource: '*' },
        'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS',
      ],
      [
        { Action: 'iot:CreateThing', Resource: `${ARN}:thing/new-1` },
        'ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS',
      ],
      [
        { Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/things/*` },
        'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
      ],
    ];
    for (const [statement, code] of cases) {
      const { result } = await judge([statement]);
      assert.deepEqual(reasonCodes(result), [code], code);
    }
  });

  test('reports every code for * on *', async () => {
    const { result } = await judge([{ Action: '*', Resource: '*' }], { iot: 1, s3: 30 });

    assert.deepEqual(reasonCodes(result), [
      'ALLOWS_BROAD_ACCESS_TO_USED_SERVICES',
      'ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES',
      'ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS',
      'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS',
      'ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS',
      'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    ]);
    assert.match(result.nonCompliant[0]?.reasonForNonCompliance ?? '', /: \[iot, s3\]\./);
    assert.match(
      result.nonCompliant[1]?.reasonForNonCompliance ?? '',
      /: \[iam, cloudtrail, guardduty, inspector, trustedadvisor\]\./,
    );
  });

  test('skips a role alias whose role the fleet does not contain', async () => {
    const test = new TestFleet();
    test.addRoleAlias('orphan', 'arn:aws:iam::123456789012:role/deleted');

    const result = await runCheck(check, test.fleet);

    assert.deepEqual(result, { totalResourcesCount: 0, nonCompliant: [] });
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
