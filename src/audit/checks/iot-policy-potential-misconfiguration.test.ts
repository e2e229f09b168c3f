import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { iotPolicyPotentialMisconfigurationCheck as check } from './iot-policy-potential-misconfiguration.ts';
import { reasonCodes, runCheck, TestFleet } from './test-fleet.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const THING = '${iot:Connection.Thing.ThingName}';

type Statement = Record<string, unknown>;

function allow(action: string, resource: string): Statement {
  return { Effect: 'Allow', Action: action, Resource: `${ARN}:${resource}` };
}

function deny(action: string, resource: string): Statement {
  return { Effect: 'Deny', Action: action, Resource: `${ARN}:${resource}` };
}

async function judge(...statements: Statement[]) {
  const test = new TestFleet();
  test.addPolicy('building-policy', { Version: '2012-10-17', Statement: statements });
  return await runCheck(check, test.fleet);
}

describe('IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK', () => {
  test('finds nothing in a policy whose denials hold', async () => {
    const result = await judge(
      allow('iot:Subscribe', 'topicfilter/building/*'),
      deny('iot:Subscribe', 'topicfilter/building/control_room/*'),
      allow('iot:Receive', 'topic/building/*'),
      deny('iot:Receive', 'topic/building/control_room/*'),
    );

    assert.deepEqual(result, { totalResourcesCount: 1, nonCompliant: [] });
  });

  test('reports a Deny on a topic filter ending in #', async () => {
    const result = await judge(
      allow('iot:Subscribe', 'topicfilter/building/*'),
      deny('iot:Subscribe', 'topicfilter/building/control_room/#'),
      allow('iot:Receive', 'topic/building/*'),
    );

    assert.deepEqual(result.nonCompliant, [
      {
        resource: {
          resourceType: 'IOT_POLICY',
          resourceIdentifier: {
            policyVersionIdentifier: { policyName: 'building-policy', policyVersionId: '1' },
          },
        },
        relatedResources: [],
        reasonForNonCompliance: `Policy contains MQTT wildcards in a Deny statement, which IoT policies treat as literal characters. In policy "building-policy" version 1, statement 1 denies iot:Subscribe on "${ARN}:topicfilter/building/control_room/#", where "+" and "#" match only themselves.`,
        reasonForNonComplianceCode: 'POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT',
      },
    ]);
  });

  test('reports a Deny with + on a topic and names every such statement', async () => {
    const result = await judge(
      allow('iot:Publish', 'topic/building/*'),
      deny('iot:Publish', 'topic/building/+/alarm'),
      {
        Sid: 'NoReceive',
        Effect: 'Deny',
        Action: ['iot:Receive', 'iot:Connect'],
        Resource: `${ARN}:topic/building/#`,
      },
    );

    assert.deepEqual(reasonCodes(result), ['POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT']);
    assert.match(
      result.nonCompliant[0]?.reasonForNonCompliance ?? '',
      /statement 1 denies iot:Publish on ".+:topic\/building\/\+\/alarm", where .+; statement 2 \(Sid "NoReceive"\) denies iot:Receive on ".+:topic\/building\/#", where/,
    );
  });

  test('reports a Deny on topicfilter/P/* that a P/# subscription gets around', async () => {
    const result = await judge(
      allow('iot:Subscribe', 'topicfilter/building/*'),
      deny('iot:Subscribe', 'topicfilter/building/control_room/*'),
      allow('iot:Receive', 'topic/building/*'),
    );

    assert.deepEqual(reasonCodes(result), [
      'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS',
    ]);
    assert.equal(
      result.nonCompliant[0]?.reasonForNonCompliance,
      `Policy denies topic filters that an allowed MQTT wildcard subscription gets around. In policy "building-policy" version 1, statement 1 denies iot:Subscribe on "${ARN}:topicfilter/building/control_room/*", but the topic filter "building/#" is allowed and iot:Receive delivers "building/control_room/sample" to it.`,
    );
  });

  test('finds the bypass through thing-name variables', async () => {
    const result = await judge(
      allow('iot:Subscribe', `topicfilter/${THING}/*`),
      deny('iot:Subscribe', `topicfilter/${THING}/secret/*`),
      allow('iot:Receive', `topic/${THING}/*`),
    );

    assert.deepEqual(reasonCodes(result), [
      'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS',
    ]);
    assert.match(
      result.nonCompliant[0]?.reasonForNonCompliance ?? '',
      /the topic filter "audit-probe\/#" is allowed/,
    );
  });

  test('finds a + filter when no # filter is allowed', async () => {
    const result = await judge(
      allow('iot:Subscribe', 'topicfilter/building/+/sample'),
      deny('iot:Subscribe', 'topicfilter/building/control_room/*'),
      allow('iot:Receive', 'topic/building/*'),
    );

    assert.match(
      result.nonCompliant[0]?.reasonForNonCompliance ?? '',
      /the topic filter "building\/\+\/sample" is allowed/,
    );
  });

  test('finds no bypass when no wider filter may be subscribed to', async () => {
    const cases: Statement[][] = [
      [
        allow('iot:Subscribe', 'topicfilter/building/lobby/*'),
        deny('iot:Subscribe', 'topicfilter/building/control_room/*'),
        allow('iot:Receive', 'topic/building/*'),
      ],
      [
        allow('iot:Subscribe', 'topicfilter/building/*'),
        deny('iot:Subscribe', 'topicfilter/building/control_room/*'),
        allow('iot:Receive', 'topic/building/lobby/*'),
      ],
      [allow('iot:Subscribe', 'topicfilter/*'), deny('iot:Subscribe', 'topicfilter/*')],
      [
        allow('iot:Subscribe', 'topicfilter/building/*'),
        deny('iot:Publish', 'topic/building/control_room/*'),
        allow('iot:Receive', 'topic/building/*'),
      ],
    ];
    for (const statements of cases) {
      const result = await judge(...statements);
      assert.deepEqual(result.nonCompliant, [], JSON.stringify(statements));
    }
  });

  test('gives one finding per reason code for a policy with both faults', async () => {
    const result = await judge(
      allow('iot:Subscribe', 'topicfilter/building/*'),
      deny('iot:Subscribe', 'topicfilter/building/control_room/*'),
      deny('iot:Subscribe', 'topicfilter/building/lab/#'),
      allow('iot:Receive', 'topic/building/*'),
    );

    assert.deepEqual(reasonCodes(result), [
      'POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT',
      'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS',
    ]);
  });

  test('takes no configuration', () => {
    assert.equal(check.name, 'IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK');
    assert.equal(check.severity, 'MEDIUM');
    assert.equal(check.enabledByDefault, true);
    assert.match(check.validateConfiguration?.({ X: '1' }) ?? '', /takes no configuration$/);
  });
});
