import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WardenError } from '../../core/errors.ts';
import {
  MAX_POLICY_DOCUMENT_CHARACTERS,
  parsePolicyDocument,
  validatePolicyDocument,
} from './policy-document.ts';

const TOPIC = 'arn:aws:iot:us-east-1:123456789012:topic/a';

function documentText(statement: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statement, ...extra });
}

const ALLOW = { Effect: 'Allow', Action: 'iot:Publish', Resource: TOPIC };

test('parsePolicyDocument rejects malformed documents with exact messages', () => {
  const cases: [name: string, text: string, message: string][] = [
    ['not JSON', '{"Version": "2012-10-17",', 'the document is not valid JSON'],
    ['JSON array', '[]', 'the document is not a JSON object'],
    ['blank', ' \n\t ', 'the document is empty'],
    ['missing Version', JSON.stringify({ Statement: [ALLOW] }), 'the document has no "Version"'],
    [
      'unknown Version',
      JSON.stringify({ Version: '2020-01-01', Statement: [ALLOW] }),
      'Version "2020-01-01" is not "2012-10-17" or "2008-10-17"',
    ],
    [
      'missing Statement',
      JSON.stringify({ Version: '2012-10-17' }),
      'the document has no "Statement"',
    ],
    [
      'Statement is a string',
      documentText('everything'),
      'Statement "everything" is not an object or an array of objects',
    ],
    [
      'unknown top-level element',
      documentText([ALLOW], { Comment: 'x' }),
      'the document has unknown element "Comment"',
    ],
    ['statement not an object', documentText([ALLOW, 'x']), 'Statement[1] is not an object'],
    [
      'missing Effect',
      documentText([ALLOW, { Action: 'iot:Connect', Resource: '*' }]),
      'Statement[1] has no "Effect"',
    ],
    [
      'bad Effect',
      documentText([{ ...ALLOW, Effect: 'allow' }]),
      'Statement[0].Effect "allow" is not "Allow" or "Deny"',
    ],
    [
      'missing Action',
      documentText([{ Effect: 'Allow', Resource: '*' }]),
      'Statement[0] has no "Action" or "NotAction"',
    ],
    [
      'both Action and NotAction',
      documentText([{ ...ALLOW, NotAction: 'iot:Connect' }]),
      'Statement[0] has both "Action" and "NotAction"',
    ],
    [
      'both Resource and NotResource',
      documentText([{ ...ALLOW, NotResource: TOPIC }]),
      'Statement[0] has both "Resource" and "NotResource"',
    ],
    [
      'missing Resource',
      documentText([{ Effect: 'Allow', Action: 'iot:*' }]),
      'Statement[0] has no "Resource" or "NotResource"',
    ],
    [
      'Resource not a string',
      documentText([{ ...ALLOW, Resource: 5 }]),
      'Statement[0].Resource 5 is not a string or an array of strings',
    ],
    [
      'Resource list with a number',
      documentText([{ ...ALLOW, Resource: [TOPIC, 7] }]),
      'Statement[0].Resource ["arn:aws:iot:us-east-1:123456789012:topic/a",7] is not a string or an array of strings',
    ],
    [
      'Resource not an ARN',
      documentText([{ ...ALLOW, Resource: [TOPIC, 'topic/a'] }]),
      'Statement[0].Resource[1] "topic/a" is not "*" or an ARN',
    ],
    [
      'empty Action list',
      documentText([{ ...ALLOW, Action: [] }]),
      'Statement[0].Action is an empty array',
    ],
    [
      'Action without a service prefix',
      documentText([{ ...ALLOW, Action: 'Publish' }]),
      'Statement[0].Action "Publish" is not "*" or a "service:action" name',
    ],
    [
      'unknown condition operator',
      documentText([{ ...ALLOW, Condition: { StringEqualz: { 'iot:ClientId': 'a' } } }]),
      'Statement[0].Condition has unknown operator "StringEqualz"',
    ],
    [
      'IfExists on Null',
      documentText([{ ...ALLOW, Condition: { NullIfExists: { 'aws:SourceIp': 'true' } } }]),
      'Statement[0].Condition has unknown operator "NullIfExists"',
    ],
    [
      'Condition not an object',
      documentText([{ ...ALLOW, Condition: ['Bool'] }]),
      'Statement[0].Condition ["Bool"] is not an object',
    ],
    [
      'operator block not an object',
      documentText([{ ...ALLOW, Condition: { Bool: 'true' } }]),
      'Statement[0].Condition.Bool "true" is not an object',
    ],
    [
      'condition key without a prefix',
      documentText([{ ...ALLOW, Condition: { StringEquals: { ClientId: 'a' } } }]),
      'Statement[0].Condition.StringEquals key "ClientId" is not a "service:name" condition key',
    ],
    [
      'numeric value that is not a number',
      documentText([
        { ...ALLOW, Condition: { NumericLessThan: { 'aws:EpochTime': ['1', 'soon'] } } },
      ]),
      'Statement[0].Condition.NumericLessThan["aws:EpochTime"][1] "soon" is not a number',
    ],
    [
      'bad CIDR',
      documentText([{ ...ALLOW, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/33' } } }]),
      'Statement[0].Condition.IpAddress["aws:SourceIp"] "203.0.113.0/33" is not an IP address or CIDR block',
    ],
    [
      'bad Bool value',
      documentText([
        { ...ALLOW, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'yes' } } },
      ]),
      'Statement[0].Condition.Bool["iot:Connection.Thing.IsAttached"] "yes" is not "true" or "false"',
    ],
    [
      'bad date',
      documentText([{ ...ALLOW, Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } }]),
      'Statement[0].Condition.DateLessThan["aws:CurrentTime"] "tomorrow" is not an ISO 8601 date or epoch seconds',
    ],
    [
      'empty condition value list',
      documentText([{ ...ALLOW, Condition: { StringEquals: { 'iot:ClientId': [] } } }]),
      'Statement[0].Condition.StringEquals["iot:ClientId"] is an empty array',
    ],
    [
      'object condition value',
      documentText([{ ...ALLOW, Condition: { StringEquals: { 'iot:ClientId': { a: 1 } } } }]),
      'Statement[0].Condition.StringEquals["iot:ClientId"] {"a":1} is not a string, number, boolean or an array of them',
    ],
    [
      'unknown statement element',
      documentText([{ ...ALLOW, Resources: TOPIC }]),
      'Statement[0] has unknown element "Resources"',
    ],
    [
      'Principal',
      documentText([{ ...ALLOW, Principal: '*' }]),
      'Statement[0] has "Principal", which AWS IoT policies do not support',
    ],
    [
      'duplicate Sid',
      documentText([
        { ...ALLOW, Sid: 'Pub' },
        { ...ALLOW, Sid: 'Pub' },
      ]),
      'Statement[1].Sid "Pub" repeats the Sid of Statement[0]',
    ],
    [
      'single statement object',
      documentText({ Effect: 'Permit', Action: 'iot:*', Resource: '*' }),
      'Statement.Effect "Permit" is not "Allow" or "Deny"',
    ],
  ];

  for (const [name, text, message] of cases) {
    assert.throws(
      () => parsePolicyDocument(text),
      (error: unknown) => {
        assert.ok(error instanceof WardenError, name);
        assert.equal(error.code, 'MalformedPolicyException', name);
        assert.equal(error.status, 400, name);
        assert.equal(error.message, `Policy document is invalid: ${message}`, name);
        return true;
      },
      name,
    );
  }
});

test('parsePolicyDocument rejects a document over 2048 characters excluding whitespace', () => {
  const base = documentText([{ ...ALLOW, Resource: `${TOPIC}/` }]);
  const padding = 'x'.repeat(MAX_POLICY_DOCUMENT_CHARACTERS - base.length);
  const atLimit = documentText([{ ...ALLOW, Resource: `${TOPIC}/${padding}` }]);
  const overLimit = documentText([{ ...ALLOW, Resource: `${TOPIC}/${padding}y` }]);
  assert.equal(atLimit.length, 2048);
  assert.equal(overLimit.length, 2049);

  assert.equal(parsePolicyDocument(atLimit).statements.length, 1);
  const pretty = JSON.stringify(JSON.parse(atLimit), null, 4);
  assert.ok(pretty.length > 2048);
  assert.equal(parsePolicyDocument(pretty).statements.length, 1);
  assert.throws(() => parsePolicyDocument(overLimit), {
    code: 'MalformedPolicyException',
    message:
      'Policy document is invalid: the document has 2049 characters excluding whitespace, more than the maximum of 2048',
  });
});

test('parsePolicyDocument names at most three problems', () => {
  const text = documentText([{}, {}]);
  assert.throws(() => parsePolicyDocument(text), {
    message:
      'Policy document is invalid: Statement[0] has no "Effect"; Statement[0] has no "Action" or "NotAction"; ' +
      'Statement[0] has no "Resource" or "NotResource"; and 3 more problems',
  });
});

test('validatePolicyDocument returns every problem with its code and path', () => {
  const text = documentText([
    { Effect: 'Allow', Action: 'iot:Publish', Resource: 'topic' },
    { Effect: 'Maybe', Action: ['iot:Connect', 'nope'], NotResource: '*', Extra: 1 },
  ]);
  const result = validatePolicyDocument(text);
  assert.equal(result.document, undefined);
  assert.deepEqual(
    result.problems.map(({ code, path }) => [code, path]),
    [
      ['invalid-value', 'Statement[0].Resource'],
      ['unknown-element', 'Statement[1]'],
      ['invalid-value', 'Statement[1].Effect'],
      ['invalid-value', 'Statement[1].Action[1]'],
    ],
  );
});

test('validatePolicyDocument normalizes a valid document', () => {
  const text = JSON.stringify({
    Version: '2012-10-17',
    Id: 'device-policy',
    Statement: {
      Sid: 'Connect',
      Effect: 'Allow',
      NotAction: 'iot:Publish',
      Resource: '*',
      Condition: {
        Bool: { 'iot:Connection.Thing.IsAttached': true },
        'ForAnyValue:StringLikeIfExists': {
          'iot:Certificate.Subject.Organization.List': ['A*', 7],
        },
      },
    },
  });
  const { document, problems } = validatePolicyDocument(text);
  assert.deepEqual(problems, []);
  assert.ok(document);
  assert.equal(document.version, '2012-10-17');
  assert.equal(document.id, 'device-policy');
  assert.equal(document.statements.length, 1);

  const [statement] = document.statements;
  assert.ok(statement);
  assert.equal(statement.index, 0);
  assert.equal(statement.sid, 'Connect');
  assert.equal(statement.effect, 'Allow');
  assert.deepEqual(statement.actions, { negated: true, patterns: ['iot:Publish'] });
  assert.deepEqual(statement.resources, { negated: false, patterns: ['*'] });
  assert.deepEqual(
    statement.conditions.map((condition) => [
      condition.operator.base,
      condition.key,
      condition.values,
    ]),
    [
      ['Bool', 'iot:Connection.Thing.IsAttached', ['true']],
      ['StringLike', 'iot:Certificate.Subject.Organization.List', ['A*', '7']],
    ],
  );
  const likeOperator = statement.conditions[1]?.operator;
  assert.equal(likeOperator?.qualifier, 'ForAnyValue');
  assert.equal(likeOperator?.ifExists, true);
});

test('validatePolicyDocument accepts an empty statement list and version 2008-10-17', () => {
  const empty = validatePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: [] }));
  assert.deepEqual(empty.problems, []);
  assert.deepEqual(empty.document?.statements, []);

  const old = validatePolicyDocument(JSON.stringify({ Version: '2008-10-17', Statement: [ALLOW] }));
  assert.equal(old.document?.version, '2008-10-17');
});
