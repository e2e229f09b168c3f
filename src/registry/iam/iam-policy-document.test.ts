import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_IAM_POLICY_CHARACTERS, validateIamPolicyDocument } from './iam-policy-document.ts';

const readDevices = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: 'arn:aws:dynamodb:*:*:table/x' },
    { Sid: 'NoIam', Effect: 'Deny', NotAction: 'iot:*', NotResource: '*' },
  ],
};

test('accepts a permission document as an object or as JSON text', () => {
  for (const input of [readDevices, JSON.stringify(readDevices, null, 2)]) {
    const result = validateIamPolicyDocument(input);
    assert.deepEqual(result.problems, []);
    assert.equal(result.text, JSON.stringify(readDevices));
    assert.equal(result.document?.statements.length, 2);
    assert.equal(result.document?.statements[1]?.actions.negated, true);
  }
});

test('accepts a single statement object and a condition block', () => {
  const result = validateIamPolicyDocument({
    Version: '2008-10-17',
    Statement: {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::firmware/*',
      Condition: { StringEquals: { 'aws:PrincipalTag/team': 'fleet' } },
    },
  });
  assert.deepEqual(result.problems, []);
  assert.equal(result.document?.statements[0]?.conditions.length, 1);
});

test('rejects invalid permission documents with the element and reason', () => {
  const statement = { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' };
  const cases: [unknown, { code: string; path: string; message: string }[]][] = [
    [
      '{"Version":',
      [{ code: 'invalid-json', path: '', message: 'the document is not valid JSON' }],
    ],
    [
      ['not', 'an', 'object'],
      [{ code: 'invalid-type', path: '', message: 'the document is not a JSON object' }],
    ],
    [
      { Statement: [statement] },
      [{ code: 'missing', path: 'Version', message: 'the document has no "Version"' }],
    ],
    [
      { Version: '2020-01-01', Statement: [statement] },
      [
        {
          code: 'invalid-value',
          path: 'Version',
          message: 'Version "2020-01-01" is not "2012-10-17" or "2008-10-17"',
        },
      ],
    ],
    [
      { Version: '2012-10-17' },
      [{ code: 'missing', path: 'Statement', message: 'the document has no "Statement"' }],
    ],
    [
      { Version: '2012-10-17', Statement: [] },
      [{ code: 'empty', path: 'Statement', message: 'Statement is an empty array' }],
    ],
    [
      { Version: '2012-10-17', Statement: [{ ...statement, Effect: 'Permit' }] },
      [
        {
          code: 'invalid-value',
          path: 'Statement[0].Effect',
          message: 'Statement[0].Effect "Permit" is not "Allow" or "Deny"',
        },
      ],
    ],
    [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] },
      [
        {
          code: 'missing',
          path: 'Statement[0]',
          message: 'Statement[0] has no "Action" or "NotAction"',
        },
      ],
    ],
    [
      { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iot:*' }] },
      [
        {
          code: 'missing',
          path: 'Statement[0]',
          message: 'Statement[0] has no "Resource" or "NotResource"',
        },
      ],
    ],
    [
      { Version: '2012-10-17', Statement: [{ ...statement, NotResource: '*' }] },
      [
        {
          code: 'conflict',
          path: 'Statement[0]',
          message: 'Statement[0] has both "Resource" and "NotResource"',
        },
      ],
    ],
    [
      { Version: '2012-10-17', Statement: [{ ...statement, Principal: { AWS: '*' } }] },
      [
        {
          code: 'unsupported-element',
          path: 'Statement[0].Principal',
          message: 'Statement[0] has "Principal", which IAM permission policies do not support',
        },
      ],
    ],
    [
      { Version: '2012-10-17', Statement: [statement], Extra: 1 },
      [{ code: 'unknown-element', path: '', message: 'the document has unknown element "Extra"' }],
    ],
    [
      { Version: '2012-10-17', Statement: [{ ...statement, Action: 'connect' }] },
      [
        {
          code: 'invalid-value',
          path: 'Statement[0].Action',
          message: 'Statement[0].Action "connect" is not "*" or a "service:action" name',
        },
      ],
    ],
  ];
  for (const [input, expected] of cases) {
    const result = validateIamPolicyDocument(input);
    assert.deepEqual(result.problems, expected, JSON.stringify(input));
    assert.equal(result.document, undefined);
    assert.equal(result.text, undefined);
  }
});

test('rejects a document past the IAM size quota', () => {
  const resources = Array.from({ length: 400 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`);
  const document = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }],
  };
  const length = JSON.stringify(document).length;
  assert.ok(length > MAX_IAM_POLICY_CHARACTERS);
  assert.deepEqual(validateIamPolicyDocument(document).problems, [
    {
      code: 'too-long',
      path: '',
      message: `the document has ${length} characters excluding whitespace, more than the maximum of 10240`,
    },
  ]);
});
