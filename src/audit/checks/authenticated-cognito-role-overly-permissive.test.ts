import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { authenticatedCognitoRoleOverlyPermissiveCheck as check } from './authenticated-cognito-role-overly-permissive.ts';
import { reasonCodes, runCheck, TestFleet } from './test-fleet.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const ROLE = 'arn:aws:iam::123456789012:role/member';
const POOL = 'us-east-1:0a1b2c3d-0000-4000-8000-000000000002';
const IDENTITY = '${cognito-identity.amazonaws.com:sub}';

async function judge(...statements: unknown[]) {
  const test = new TestFleet();
  const Statement = statements.map((item) => ({ Effect: 'Allow', ...(item as object) }));
  test.addRole(ROLE, [{ Version: '2012-10-17', Statement }]);
  test.addIdentityPool(
    POOL,
    { authenticated: ROLE, unauthenticated: 'arn:aws:iam::123456789012:role/guest' },
    3,
  );
  return await runCheck(check, test.fleet);
}

describe('AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK', () => {
  test('finds nothing for reads of named things and identity-scoped MQTT', async () => {
    const result = await judge(
      {
        Action: ['iot:DescribeThing', 'iot:ListThingPrincipals'],
        Resource: [`${ARN}:thing/MyThing*`, `${ARN}:thing/lamp-2`],
      },
      { Action: 'iot:Connect', Resource: `${ARN}:client/${IDENTITY}` },
      { Action: 'iot:Receive', Resource: `${ARN}:topic/$aws/things/*` },
    );

    assert.deepEqual(result, { totalResourcesCount: 1, nonCompliant: [] });
  });

  test('reports each rule with its own reason code', async () => {
    const cases: [unknown, string, string][] = [
      [
        { Action: 'iot:UpdateThing', Resource: `${ARN}:thing/lamp-1` },
        'ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS',
        'Authenticated role allows thing administration write actions: [iot:UpdateThing]',
      ],
      [
        { Action: 'iot:ListCertificates', Resource: '*' },
        'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS',
        'Authenticated role allows IoT administrative actions unrelated to things: [iot:ListCertificates]',
      ],
      [
        { Action: 'iot:DescribeThing', Resource: `${ARN}:thing/*` },
        'ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS',
        'Authenticated role allows thing administration read actions on a broad set of things: [iot:DescribeThing]',
      ],
      [
        { Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/things/*` },
        'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
        'Authenticated role allows broad access to IoT data plane actions: [iot:Publish]',
      ],
    ];
    for (const [statement, code, summary] of cases) {
      const result = await judge(statement);
      assert.deepEqual(reasonCodes(result), [code], code);
      assert.ok(
        result.nonCompliant[0]?.reasonForNonCompliance.startsWith(
          `${summary}. In role "${ROLE}", policy document 0: statement 0 allows `,
        ),
      );
    }
  });

  test('reports every code for iot:* on *', async () => {
    const result = await judge({ Action: 'iot:*', Resource: '*' });

    assert.deepEqual(reasonCodes(result), [
      'ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS',
      'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS',
      'ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS',
      'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    ]);
    for (const item of result.nonCompliant) {
      assert.deepEqual(item.resource.resourceIdentifier, { cognitoIdentityPoolId: POOL });
      assert.deepEqual(item.relatedResources, [
        { resourceType: 'IAM_ROLE', resourceIdentifier: { iamRoleArn: ROLE } },
      ]);
    }
  });

  test('reads NotAction as every action it does not list', async () => {
    const result = await judge(
      { NotAction: ['iot:*'], Resource: '*' },
      { NotAction: 'iot:Connect', Resource: `${ARN}:client/admin` },
    );

    assert.deepEqual(reasonCodes(result), [
      'ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS',
      'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS',
    ]);
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
