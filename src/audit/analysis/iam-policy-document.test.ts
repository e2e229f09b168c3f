import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { readIamPolicyDocument } from './iam-policy-document.ts';

describe('readIamPolicyDocument', () => {
  test('reads statements of any service into the policy engine form', () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Table',
          Effect: 'Allow',
          Action: 'dynamodb:*',
          Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/t',
        },
        {
          Effect: 'Deny',
          NotAction: ['iam:GetRole'],
          NotResource: '*',
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
      ],
    });

    const { document, problems } = readIamPolicyDocument(text);

    assert.deepEqual(problems, []);
    assert.equal(document?.version, '2012-10-17');
    assert.deepEqual(document?.statements[0], {
      index: 0,
      sid: 'Table',
      effect: 'Allow',
      actions: { negated: false, patterns: ['dynamodb:*'] },
      resources: { negated: false, patterns: ['arn:aws:dynamodb:us-east-1:123456789012:table/t'] },
      conditions: [],
    });
    const second = document?.statements[1];
    assert.deepEqual(second?.actions, { negated: true, patterns: ['iam:GetRole'] });
    assert.deepEqual(second?.resources, { negated: true, patterns: ['*'] });
    assert.equal(second?.conditions[0]?.operator.name, 'Bool');
    assert.deepEqual(second?.conditions[0]?.values, ['false']);
  });

  test('reads a single statement object and a missing Version as 2008-10-17', () => {
    const text = JSON.stringify({
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
    });

    const { document } = readIamPolicyDocument(text);

    assert.equal(document?.version, '2008-10-17');
    assert.equal(document?.statements.length, 1);
  });

  test('accepts documents longer than the IoT limit of 2048 characters', () => {
    const resources = Array.from({ length: 100 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`);
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }],
    });

    assert.ok(text.length > 2048);
    assert.deepEqual(readIamPolicyDocument(text).problems, []);
  });

  test('returns every problem and no document for bad input', () => {
    const cases: [string, string[]][] = [
      ['{', ['the document is not valid JSON']],
      ['[]', ['the document is not a JSON object']],
      [
        '{"Version":"2012-10-17","Statement":5}',
        ['Statement 5 is not an object or an array of objects'],
      ],
      ['{"Version":"2019","Statement":[]}', ['Version "2019" is not "2012-10-17" or "2008-10-17"']],
      [
        '{"Statement":[{"Effect":"Permit","Action":"s3:*","NotAction":"s3:Get*"}]}',
        [
          'Statement[0].Effect "Permit" is not "Allow" or "Deny"',
          'Statement[0] has both "Action" and "NotAction"',
          'Statement[0] has no "Resource" or "NotResource"',
        ],
      ],
      [
        '{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}',
        ['Statement[0].Action [] is not a string or a non-empty array of strings'],
      ],
      [
        '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringSorta":{"a:b":"c"}}}]}',
        ['Statement[0].Condition has unknown operator "StringSorta"'],
      ],
      ['{"Statement":[7]}', ['Statement[0] is not an object']],
    ];
    for (const [text, messages] of cases) {
      const reading = readIamPolicyDocument(text);
      assert.equal(reading.document, undefined, text);
      assert.deepEqual(
        reading.problems.map((item) => item.message),
        messages,
        text,
      );
    }
  });
});
