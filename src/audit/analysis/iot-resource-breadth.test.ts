import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  broadAccessReason,
  requiresAttachedThing,
  type IotResourceKind,
} from './iot-resource-breadth.ts';
import { readIamPolicyDocument } from './iam-policy-document.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const OPTIONS = {
  region: 'us-east-1',
  accountId: '123456789012',
  variables: true,
  requiresAttachedThing: false,
};

describe('broadAccessReason', () => {
  test('reads wildcards, MQTT wildcards and variables by resource type', () => {
    const cases: [IotResourceKind, string, string | undefined][] = [
      ['client', `${ARN}:client/?`, 'the client ID is a wildcard'],
      [
        'client',
        `${ARN}:client/\${iot:ClientId}-suffix`,
        'any client ID matches ${iot:ClientId} without the condition iot:Connection.Thing.IsAttached = true',
      ],
      ['client', `${ARN}:client/\${iot:Certificate.Subject.CommonName}`, undefined],
      ['client', `${ARN}:client/`, undefined],
      ['client', `${ARN}:c?ient/*`, 'the client ID is a wildcard'],
      ['client', `${ARN}:cl*`, 'the resource type is a wildcard'],
      ['client', `${ARN}:\${aws:Type}/*`, undefined],
      ['client', `${ARN}:topic/*`, undefined],
      ['thing', `${ARN}:thing/${'$'}{*}`, undefined],
      [
        'topic',
        `${ARN}:topic/$aws/things/?bc/shadow`,
        'the thing name level of "$aws/things/" is a wildcard',
      ],
      ['topic', `${ARN}:topic/$aws/things/+/shadow`, undefined],
      ['topic', `${ARN}:topic/$aws/things/lamp-1/shadow/*`, undefined],
      ['topic', `${ARN}:topic/$aws/th`, undefined],
      ['topicfilter', `${ARN}:topicfilter/$aws/things/++/shadow`, undefined],
      [
        'topicfilter',
        `${ARN}:topicfilter/$aws/things/#`,
        'the thing name level of "$aws/things/" is the MQTT wildcard "#"',
      ],
      [
        'topicfilter',
        `${ARN}:topicfilter/#/x`,
        'the topic filter\'s first level is the MQTT wildcard "#"',
      ],
      ['topicfilter', `${ARN}:topicfilter/a/#`, undefined],
      ['topicfilter', `${ARN}:topicfilter/\${iot:ClientId}/#`, undefined],
    ];
    for (const [kind, pattern, reason] of cases) {
      assert.equal(broadAccessReason(kind, pattern, OPTIONS), reason, pattern);
    }
  });

  test('keeps ${...} literal for policy language 2008-10-17', () => {
    const options = { ...OPTIONS, variables: false };

    assert.equal(broadAccessReason('client', `${ARN}:client/\${iot:ClientId}`, options), undefined);
  });
});

describe('requiresAttachedThing', () => {
  test('accepts only a positive test that IsAttached is true', () => {
    const cases: [unknown, boolean][] = [
      [{ Bool: { 'iot:Connection.Thing.IsAttached': 'true' } }, true],
      [{ Bool: { 'IOT:connection.thing.isattached': true } }, true],
      [{ StringEquals: { 'iot:Connection.Thing.IsAttached': 'TRUE' } }, true],
      [{ Bool: { 'iot:Connection.Thing.IsAttached': 'false' } }, false],
      [{ Bool: { 'iot:Connection.Thing.IsAttached': ['true', 'false'] } }, false],
      [{ StringNotEquals: { 'iot:Connection.Thing.IsAttached': 'false' } }, false],
      [{ StringLike: { 'iot:Connection.Thing.IsAttached': 't*' } }, false],
      [{ 'ForAnyValue:StringEquals': { 'iot:Connection.Thing.IsAttached': 'true' } }, false],
      [{ Bool: { 'aws:SecureTransport': 'true' } }, false],
    ];
    for (const [Condition, expected] of cases) {
      const text = JSON.stringify({
        Statement: { Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition },
      });
      const statement = readIamPolicyDocument(text).document?.statements[0];
      assert.ok(statement, JSON.stringify(Condition));
      assert.equal(requiresAttachedThing(statement), expected, JSON.stringify(Condition));
    }
  });
});
