import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mayNameServiceResource, splitArnPattern } from './arn-pattern.ts';

const SCOPE = { region: 'us-east-1', accountId: '123456789012' };

describe('splitArnPattern', () => {
  test('splits on the first five colons outside policy variables', () => {
    assert.deepEqual(
      splitArnPattern("arn:aws:iot:${aws:Region, 'us-east-1'}:123:topic/a:b/${iot:ClientId}"),
      {
        partition: 'aws',
        service: 'iot',
        region: "${aws:Region, 'us-east-1'}",
        account: '123',
        resource: 'topic/a:b/${iot:ClientId}',
      },
    );
    assert.deepEqual(splitArnPattern('arn:aws:s3:::bucket/key'), {
      partition: 'aws',
      service: 's3',
      region: '',
      account: '',
      resource: 'bucket/key',
    });
  });

  test('returns undefined for text that is not an ARN', () => {
    for (const text of ['*', 'arn:aws:iot', 'urn:aws:iot:r:a:x', '']) {
      assert.equal(splitArnPattern(text), undefined, text);
    }
  });
});

describe('mayNameServiceResource', () => {
  test('matches service, region and account with wildcards and variables', () => {
    const cases: [string, boolean][] = [
      ['*', true],
      ['arn:aws:iot:us-east-1:123456789012:thing/a', true],
      ['arn:aws:iot:*:*:thing/a', true],
      ['arn:aws:io?:us-*:${aws:PrincipalAccount}:thing/a', true],
      ['arn:aws:iot:eu-west-1:123456789012:thing/a', false],
      ['arn:aws:iot:us-east-1:999999999999:thing/a', false],
      ['arn:aws:s3:::bucket', false],
      ['not-an-arn', false],
    ];
    for (const [pattern, expected] of cases) {
      assert.equal(mayNameServiceResource(pattern, 'iot', SCOPE), expected, pattern);
    }
  });
});
