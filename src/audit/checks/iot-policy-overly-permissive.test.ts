import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { iotPolicyOverlyPermissiveCheck as check } from './iot-policy-overly-permissive.ts';
import { runCheck, TestFleet } from './test-fleet.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const ATTACHED = { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } };

interface Statement {
  Effect?: string;
  Action: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
  Sid?: string;
}

async function judge(statements: Statement[], version = '2012-10-17') {
  const test = new TestFleet();
  const Statement = statements.map((statement) => ({ Effect: 'Allow', ...statement }));
  test.addPolicy('device-policy', { Version: version, Statement });
  return await runCheck(check, test.fleet);
}

describe('IOT_POLICY_OVERLY_PERMISSIVE_CHECK', () => {
  test('finds nothing in a fleet without policies', async () => {
    const result = await runCheck(check, new TestFleet().fleet);

    assert.deepEqual(result, { totalResourcesCount: 0, nonCompliant: [] });
  });

  test('reports a policy that allows every client ID to connect', async () => {
    const result = await judge([
      { Sid: 'AnyClient', Action: 'iot:Connect', Resource: `${ARN}:client/*` },
    ]);

    assert.deepEqual(result, {
      totalResourcesCount: 1,
      nonCompliant: [
        {
          resource: {
            resourceType: 'IOT_POLICY',
            resourceIdentifier: {
              policyVersionIdentifier: { policyName: 'device-policy', policyVersionId: '1' },
            },
          },
          relatedResources: [],
          reasonForNonCompliance: `Policy allows broad access to IoT data plane actions: [iot:Connect]. In policy "device-policy" version 1, statement 0 (Sid "AnyClient") allows iot:Connect on "${ARN}:client/*" (the client ID is a wildcard).`,
          reasonForNonComplianceCode: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
        },
      ],
    });
  });

  test('reports each documented broad resource with its reason', async () => {
    const cases: [Statement, string][] = [
      [
        { Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` },
        'iot:Connect on "arn:aws:iot:us-east-1:123456789012:client/${iot:ClientId}" (any client ID matches ${iot:ClientId} without the condition iot:Connection.Thing.IsAttached = true)',
      ],
      [
        { Action: 'iot:Connect', Resource: 'arn:aws:iot:*:*:client/*' },
        'iot:Connect on "arn:aws:iot:*:*:client/*" (the client ID is a wildcard)',
      ],
      [
        { Action: 'iot:Connect', Resource: `${ARN}:*` },
        `iot:Connect on "${ARN}:*" (the resource type is a wildcard)`,
      ],
      [
        { Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/things/*/shadow/update` },
        `iot:Publish on "${ARN}:topic/$aws/things/*/shadow/update" (the thing name level of "$aws/things/" is a wildcard)`,
      ],
      [
        { Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/things/*` },
        `iot:Publish on "${ARN}:topic/$aws/things/*" (the thing name level of "$aws/things/" is a wildcard)`,
      ],
      [
        { Action: 'iot:Publish', Resource: `${ARN}:topic/*` },
        `iot:Publish on "${ARN}:topic/*" (the topic is a wildcard)`,
      ],
      [
        { Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/*` },
        `iot:Publish on "${ARN}:topic/$aws/*" (the wildcard after "$aws/" covers the reserved topics of every thing)`,
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/things/*` },
        `iot:Subscribe on "${ARN}:topicfilter/$aws/things/*" (the thing name level of "$aws/things/" is a wildcard)`,
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/things/#` },
        `iot:Subscribe on "${ARN}:topicfilter/$aws/things/#" (the thing name level of "$aws/things/" is the MQTT wildcard "#")`,
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/things/+/shadow/update` },
        `iot:Subscribe on "${ARN}:topicfilter/$aws/things/+/shadow/update" (the thing name level of "$aws/things/" is the MQTT wildcard "+")`,
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/#` },
        `iot:Subscribe on "${ARN}:topicfilter/$aws/#" (the MQTT wildcard "#" after "$aws/" covers the reserved topics of every thing)`,
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/#` },
        `iot:Subscribe on "${ARN}:topicfilter/#" (the topic filter's first level is the MQTT wildcard "#")`,
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/+/telemetry` },
        `iot:Subscribe on "${ARN}:topicfilter/+/telemetry" (the topic filter's first level is the MQTT wildcard "+")`,
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/*` },
        `iot:Subscribe on "${ARN}:topicfilter/*" (the topic filter is a wildcard)`,
      ],
      [
        { Action: 'iot:GetThingShadow', Resource: `${ARN}:thing/*` },
        `iot:GetThingShadow on "${ARN}:thing/*" (the thing name is a wildcard)`,
      ],
      [
        {
          Action: ['iot:UpdateJobExecution', 'iot:DescribeJobExecution'],
          Resource: `${ARN}:thing/*`,
        },
        `iot:DescribeJobExecution, iot:UpdateJobExecution on "${ARN}:thing/*" (the thing name is a wildcard)`,
      ],
      [
        { Action: 'iot:UpdateThingShadow', NotResource: `${ARN}:thing/locked` },
        `iot:UpdateThingShadow on NotResource ["${ARN}:thing/locked"] (NotResource allows every resource it does not list)`,
      ],
    ];
    for (const [statement, detail] of cases) {
      const result = await judge([statement]);
      const reasons = result.nonCompliant.map((item) => item.reasonForNonCompliance);
      assert.equal(reasons.length, 1, JSON.stringify(statement));
      assert.ok(
        reasons[0]?.endsWith(`statement 0 allows ${detail}.`),
        `${reasons[0]}\nexpected: ${detail}`,
      );
    }
  });

  test('lists every data plane action that iot:* on * allows', async () => {
    const result = await judge([{ Action: 'iot:*', Resource: '*' }]);

    assert.equal(
      result.nonCompliant[0]?.reasonForNonCompliance,
      'Policy allows broad access to IoT data plane actions: [iot:Connect, iot:Publish, iot:Subscribe, iot:DeleteThingShadow, iot:GetThingShadow, iot:UpdateThingShadow, iot:DescribeJobExecution, iot:GetPendingJobExecutions, iot:StartNextPendingJobExecution, iot:UpdateJobExecution]. In policy "device-policy" version 1, statement 0 allows iot:Connect, iot:Publish, iot:Subscribe, iot:DeleteThingShadow, iot:GetThingShadow, iot:UpdateThingShadow, iot:DescribeJobExecution, iot:GetPendingJobExecutions, iot:StartNextPendingJobExecution, iot:UpdateJobExecution on "*" (the resource is "*").',
    );
  });

  test('accepts the documented device-scoped resources', async () => {
    const thing = '${iot:Connection.Thing.ThingName}';
    const cases: Statement[][] = [
      [{ Action: 'iot:Connect', Resource: `${ARN}:client/${thing}`, Condition: ATTACHED }],
      [{ Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}`, Condition: ATTACHED }],
      [
        {
          Action: 'iot:Connect',
          Resource: `${ARN}:client/\${iot:ClientId}`,
          Condition: { Bool: { 'iot:Connection.Thing.IsAttached': true } },
        },
      ],
      [{ Action: 'iot:Connect', Resource: `${ARN}:client/sensor-*` }],
      [{ Action: 'iot:Publish', Resource: `${ARN}:topic/$aws/things/${thing}/shadow/*` }],
      [
        {
          Action: 'iot:Subscribe',
          Resource: [
            `${ARN}:topicfilter/$aws/things/${thing}/shadow/*`,
            `${ARN}:topicfilter/$aws/things/${thing}/jobs/*`,
          ],
        },
      ],
      [{ Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/things/sensor-*` }],
      [{ Action: 'iot:Receive', Resource: `${ARN}:topic/$aws/things/*` }],
      [{ Action: 'iot:Receive', Resource: '*' }],
      [
        {
          Action: ['iot:GetThingShadow', 'iot:UpdateThingShadow'],
          Resource: [`${ARN}:thing/MyThing1`, `${ARN}:thing/MyThing2`],
        },
      ],
      [{ Action: 'iot:DescribeJobExecution', Resource: `${ARN}:thing/MyThing*` }],
      [{ Action: 'iot:Publish', Resource: `${ARN}:topic/telemetry/\${iot:ClientId}` }],
      [{ Action: 'iot:Publish', Resource: `${ARN}:topic/telemetry/*` }],
      [{ Action: 'iot:Connect', Resource: 'arn:aws:s3:::bucket/*' }],
      [{ Action: 'iot:Connect', Resource: `arn:aws:iot:eu-west-1:123456789012:client/*` }],
      [
        { Action: 'iot:*', Resource: '*' },
        { Effect: 'Deny', Action: 'iot:*', Resource: '*' },
      ],
      [
        { Action: 'iot:Connect', Resource: `${ARN}:client/*` },
        { Effect: 'Deny', Action: 'iot:Connect', Resource: `${ARN}:client/*` },
      ],
      [
        { Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/things/*` },
        { Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}:topicfilter/$aws/*` },
      ],
      [{ Action: 'iot:CreateThing', Resource: '*' }],
    ];
    for (const statements of cases) {
      const result = await judge(statements);
      assert.deepEqual(result.nonCompliant, [], JSON.stringify(statements));
    }
  });

  test('reads ${iot:ClientId} as literal text in policy language 2008-10-17', async () => {
    const result = await judge(
      [{ Action: 'iot:Connect', Resource: `${ARN}:client/\${iot:ClientId}` }],
      '2008-10-17',
    );

    assert.deepEqual(result.nonCompliant, []);
  });

  test('still reports a grant that a conditional Deny narrows', async () => {
    const result = await judge([
      { Action: 'iot:Connect', Resource: `${ARN}:client/*` },
      {
        Effect: 'Deny',
        Action: 'iot:Connect',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
      },
    ]);

    assert.equal(result.nonCompliant.length, 1);
  });

  test('judges only the default version of attached policies', async () => {
    const test = new TestFleet();
    const broad = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }],
    });
    const scoped = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}:topic/a` }],
    });
    test.addPolicy('unattached', broad, []);
    test.addPolicy('rolled-back', scoped);
    const rolledBack = test.fleet.policies[1];
    rolledBack?.versions.push({ versionId: '2', document: broad, createdAt: 0 });
    test.addPolicy('current', scoped);
    const current = test.fleet.policies[2];
    if (current) {
      current.versions.push({ versionId: '3', document: broad, createdAt: 0 });
      current.defaultVersionId = '3';
    }

    const result = await runCheck(check, test.fleet);

    assert.equal(result.totalResourcesCount, 2);
    assert.deepEqual(
      result.nonCompliant.map((item) => item.resource.resourceIdentifier.policyVersionIdentifier),
      [{ policyName: 'current', policyVersionId: '3' }],
    );
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK');
    assert.equal(check.severity, 'CRITICAL');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
