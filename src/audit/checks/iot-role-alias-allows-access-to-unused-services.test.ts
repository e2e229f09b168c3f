import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { iotRoleAliasAllowsAccessToUnusedServicesCheck as check } from './iot-role-alias-allows-access-to-unused-services.ts';
import { reasonCodes, runCheck, TestFleet } from './test-fleet.ts';

const ROLE = 'arn:aws:iam::123456789012:role/device-credentials';

async function judge(statements: unknown[], usedDaysAgo: Record<string, number>) {
  const test = new TestFleet();
  const Statement = statements.map((item) => ({ Effect: 'Allow', ...(item as object) }));
  test.addRole(ROLE, [{ Version: '2012-10-17', Statement }], usedDaysAgo);
  const roleAliasArn = test.addRoleAlias('device-credentials', ROLE);
  return { roleAliasArn, result: await runCheck(check, test.fleet) };
}

describe('IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK', () => {
  test('finds nothing when every allowed service was used in the past year', async () => {
    const { result } = await judge([{ Action: ['iot:Publish', 'S3:GetObject'], Resource: '*' }], {
      iot: 5,
      s3: 365,
    });

    assert.deepEqual(result, { totalResourcesCount: 1, nonCompliant: [] });
  });

  test('reports the documented example of IAM and DynamoDB access never used', async () => {
    const { result, roleAliasArn } = await judge(
      [
        { Action: 'iot:Publish', Resource: '*' },
        { Action: ['iam:GetRole', 'dynamodb:PutItem'], Resource: '*' },
      ],
      { iot: 3 },
    );

    assert.deepEqual(result.nonCompliant, [
      {
        resource: { resourceType: 'ROLE_ALIAS', resourceIdentifier: { roleAliasArn } },
        relatedResources: [{ resourceType: 'IAM_ROLE', resourceIdentifier: { iamRoleArn: ROLE } }],
        reasonForNonCompliance: `Role alias allows access to services not used in the past year: [dynamodb, iam]. In role "${ROLE}", dynamodb by policy document 0: statement 1 allows "dynamodb:PutItem"; iam by policy document 0: statement 1 allows "iam:GetRole".`,
        reasonForNonComplianceCode: 'ALLOWS_ACCESS_TO_UNUSED_SERVICES',
      },
    ]);
  });

  test('counts a service last used 366 days ago as unused', async () => {
    const { result } = await judge([{ Action: 's3:GetObject', Resource: '*' }], { s3: 366 });

    assert.deepEqual(reasonCodes(result), ['ALLOWS_ACCESS_TO_UNUSED_SERVICES']);
  });

  test('reports a statement that allows every service', async () => {
    const cases: [unknown, string][] = [
      [{ Action: '*', Resource: '*' }, 'statement 0 allows "*"'],
      [{ Action: 'dynamo*:GetItem', Resource: '*' }, 'statement 0 allows "dynamo*:GetItem"'],
      [{ NotAction: 'iam:*', Resource: '*' }, 'statement 0 allows NotAction ["iam:*"]'],
    ];
    for (const [statement, detail] of cases) {
      const { result } = await judge([statement], { iot: 1 });
      assert.equal(
        result.nonCompliant[0]?.reasonForNonCompliance,
        `Role alias allows services that it does not name, which include services not used in the past year. In role "${ROLE}", policy document 0: ${detail}.`,
      );
    }
  });

  test('leaves out a service that an unconditional Deny removes', async () => {
    const { result } = await judge(
      [
        { Action: ['iot:Publish', 'dynamodb:PutItem'], Resource: '*' },
        { Effect: 'Deny', Action: 'dynamodb:*', Resource: '*' },
      ],
      { iot: 1 },
    );

    assert.deepEqual(result.nonCompliant, []);
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK');
    assert.equal(check.severity, 'MEDIUM');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
