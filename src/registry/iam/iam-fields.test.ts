import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iamFields, roleNameOfArn } from './iam-fields.ts';

test('time reads ISO-8601 and epoch seconds', () => {
  const cases: [unknown, number][] = [
    ['2028-02-29T23:59:59Z', Date.UTC(2028, 1, 29, 23, 59, 59)],
    ['2026-06-01T02:00:00.5+02:00', Date.UTC(2026, 5, 1, 0, 0, 0, 500)],
    ['2026-06-01T00:00:00-05:30', Date.UTC(2026, 5, 1, 5, 30)],
    [0, 0],
    [1780272000.25, 1780272000250],
  ];
  for (const [input, expected] of cases) {
    assert.equal(iamFields.time.parse(input), expected, JSON.stringify(input));
  }
});

test('time rejects other forms and impossible dates', () => {
  const cases: unknown[] = [
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-06-01T24:00:00Z',
    '2026-06-01T00:00:00',
    '2026-06-01',
    '1780272000',
    -1,
    1780272000000,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    null,
    true,
  ];
  for (const input of cases) {
    const result = iamFields.time.safeParse(input);
    assert.equal(result.success, false, String(input));
    assert.equal(
      result.error?.issues[0]?.message,
      'Member must be an ISO-8601 time with a zone, or epoch seconds',
    );
  }
});

test('roleNameOfArn reads role ARNs only', () => {
  const cases: [string, string | undefined][] = [
    ['arn:aws:iam::123456789012:role/uploader', 'uploader'],
    ['arn:aws:iam::123456789012:role/service-role/devices/up.load+er@x', 'up.load+er@x'],
    ['arn:aws-cn:iam::123456789012:role/uploader', 'uploader'],
    ['arn:aws-us-gov:iam::123456789012:role/uploader', 'uploader'],
    ['arn:aws:iam::123456789012:user/uploader', undefined],
    ['arn:aws:iam::12345:role/uploader', undefined],
    ['arn:aws:iam:us-east-1:123456789012:role/uploader', undefined],
    ['arn:aws:iam::123456789012:role/', undefined],
    [`arn:aws:iam::123456789012:role/${'r'.repeat(65)}`, undefined],
    ['arn:aws:iot:us-east-1:123456789012:rolealias/uploader', undefined],
  ];
  for (const [arn, expected] of cases) assert.equal(roleNameOfArn(arn), expected, arn);
});
