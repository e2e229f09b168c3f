import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { unauthenticatedCognitoRoleOverlyPermissiveCheck as check } from './unauthenticated-cognito-role-overly-permissive.ts';
import { reasonCodes, runCheck, TestFleet } from './test-fleet.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const ROLE = 'arn:aws:iam::123456789012:role/guest';
const POOL = 'us-east-1:0a1b2c3d-0000-4000-8000-000000000001';
const IDENTITY = '${cognito-identity.amazonaws.com:sub}';

function allow(action: string | string[], resource: string | string[]) {
  return { Effect: 'Allow', Action: action, Resource: resource };
}

function document(...statements: unknown[]) {
  return { Version: '2012-10-17', Statement: statements };
}

async function judge(...documents: unknown[]) {
  const test = new TestFleet();
  test.addRole(ROLE, documents);
  test.addIdentityPool(
    POOL,
    { unauthenticated: ROLE, authenticated: 'arn:aws:iam::123456789012:role/member' },
    1,
  );
  return await runCheck(check, test.fleet);
}

describe('UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK', () => {
  test('finds nothing for a role scoped to the Cognito identity', async () => {
    const result = await judge(
      document(
        allow('iot:Connect', `${ARN}:client/${IDENTITY}`),
        allow(['iot:Publish', 'iot:Receive'], `${ARN}:topic/guests/${IDENTITY}/*`),
        allow('s3:GetObject', 'arn:aws:s3:::public-assets/*'),
      ),
    );

    assert.deepEqual(result, { totalResourcesCount: 1, nonCompliant: [] });
  });

  test('reports a thing administration read even on one thing', async () => {
    const result = await judge(document(allow('iot:DescribeThing', `${ARN}:thing/kiosk-1`)));

    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'COGNITO_IDENTITY_POOL',
          resourceIdentifier: { cognitoIdentityPoolId: POOL },
        },
        relatedResources: [{ resourceType: 'IAM_ROLE', resourceIdentifier: { iamRoleArn: ROLE } }],
        reasonForNonCompliance: `Unauthenticated role allows access to IoT administrative actions: [iot:DescribeThing]. In role "${ROLE}", policy document 0: statement 0 allows iot:DescribeThing on "${ARN}:thing/kiosk-1".`,
        reasonForNonComplianceCode: 'ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS',
      },
    ]);
  });

  test('reports write and non-thing administration as admin actions', async () => {
    for (const action of [
      'iot:CreateThing',
      'iot:AttachThingPrincipal',
      'iot:CreatePolicy',
      'iot:UpdateCertificate',
      'iot:List*',
    ]) {
      const result = await judge(document(allow(action, '*')));
      assert.deepEqual(reasonCodes(result), ['ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS'], action);
    }
  });

  test('reads iot:Delete* on * as both admin and broad data plane access', async () => {
    const result = await judge(document(allow('iot:Delete*', '*')));

    assert.deepEqual(reasonCodes(result), [
      'ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS',
      'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    ]);
    assert.match(
      result.nonCompliant[1]?.reasonForNonCompliance ?? '',
      /: \[iot:DeleteThingShadow\]\./,
    );
  });

  test('reports broad data plane access', async () => {
    const result = await judge(
      document(allow('iot:Subscribe', `${ARN}:topicfilter/$aws/things/*`)),
    );

    assert.deepEqual(reasonCodes(result), ['ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS']);
    assert.equal(
      result.nonCompliant[0]?.reasonForNonCompliance,
      `Unauthenticated role allows broad access to IoT data plane actions: [iot:Subscribe]. In role "${ROLE}", policy document 0: statement 0 allows iot:Subscribe on "${ARN}:topicfilter/$aws/things/*" (the thing name level of "$aws/things/" is a wildcard).`,
    );
  });

  test('reports both codes for iot:* and names the document that grants them', async () => {
    const result = await judge(document(allow('s3:GetObject', '*')), document(allow('iot:*', '*')));

    assert.deepEqual(reasonCodes(result), [
      'ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS',
      'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    ]);
    assert.match(
      result.nonCompliant[0]?.reasonForNonCompliance ?? '',
      / and \d+ more\]\. In role ".+", policy document 1: statement 0 allows /,
    );
  });

  test('accepts a grant that an unconditional Deny removes', async () => {
    const result = await judge(
      document(allow('iot:*', '*'), { Effect: 'Deny', Action: 'iot:*', Resource: '*' }),
    );

    assert.deepEqual(result.nonCompliant, []);
  });

  test('skips an unreadable document and judges the others', async () => {
    const result = await judge('{"Statement": 5}', document(allow('iot:ListThings', '*')));

    assert.deepEqual(reasonCodes(result), ['ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS']);
  });

  test('examines only pools used in the last 31 days whose role is known', async () => {
    const test = new TestFleet();
    test.addRole(ROLE, [document(allow('iot:*', '*'))]);
    test.addIdentityPool('us-east-1:recent', { unauthenticated: ROLE }, 31);
    test.addIdentityPool('us-east-1:stale', { unauthenticated: ROLE }, 32);
    test.addIdentityPool('us-east-1:never', { unauthenticated: ROLE });
    test.addIdentityPool('us-east-1:members-only', { authenticated: ROLE }, 1);
    test.addIdentityPool(
      'us-east-1:unknown-role',
      { unauthenticated: 'arn:aws:iam::123456789012:role/gone' },
      1,
    );

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 1);
    assert.deepEqual(
      [
        ...new Set(
          result.nonCompliant.map((item) => item.resource.resourceIdentifier.cognitoIdentityPoolId),
        ),
      ],
      ['us-east-1:recent'],
    );
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
