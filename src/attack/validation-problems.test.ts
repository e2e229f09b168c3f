import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import {
  describeValue,
  formatPath,
  invalidValue,
  location,
  problemsFromIssues,
  valueAt,
} from './validation-problems.ts';

test('formatPath joins keys and indexes', () => {
  assert.equal(formatPath([]), '');
  assert.equal(formatPath(['techniques', 0, 'techniqueID']), 'techniques[0].techniqueID');
  assert.equal(formatPath([2, 'name']), '[2].name');
  assert.equal(formatPath(['capability_groups', 'aws iot']), 'capability_groups["aws iot"]');
  assert.equal(formatPath(['a-b', '$c']), 'a-b.$c');
});

test('location names the top level', () => {
  assert.equal(location(''), 'at the top level');
  assert.equal(location('a.b'), 'at "a.b"');
});

test('describeValue renders and shortens values', () => {
  assert.equal(describeValue('text'), 'text');
  assert.equal(describeValue(5), '5');
  assert.equal(describeValue(null), 'null');
  assert.equal(describeValue(undefined), 'undefined');
  assert.equal(describeValue({ a: [1] }), '{"a":[1]}');
  assert.equal(describeValue('x'.repeat(61)), `${'x'.repeat(57)}...`);
  assert.equal(describeValue('x'.repeat(60)), 'x'.repeat(60));
});

test('invalidValue builds the shared message', () => {
  assert.deepEqual(invalidValue('a[0]', 7, 'must be a string'), {
    code: 'INVALID_VALUE',
    path: 'a[0]',
    message: 'Invalid value "7" at "a[0]": must be a string',
  });
});

test('valueAt follows keys and indexes', () => {
  const document = { a: [{ b: 1 }] };
  assert.equal(valueAt(document, ['a', 0, 'b']), 1);
  assert.equal(valueAt(document, ['a', 3, 'b']), undefined);
  assert.equal(valueAt(document, ['a', 0, 'b', 'c']), undefined);
  assert.equal(valueAt(document, []), document);
});

test('problemsFromIssues converts each kind of issue', () => {
  const schema = z.strictObject({
    name: z.string(),
    count: z.number().int(),
    tags: z.array(z.string()).optional(),
    kind: z.enum(['a', 'b'], { error: 'must be "a" or "b"' }),
  });
  const input = { count: 1.5, tags: ['x', 2], kind: 'c', extra: true };
  const result = schema.safeParse(input);
  assert.equal(result.success, false);
  assert.deepEqual(problemsFromIssues(result.error!.issues, input, 'test format', [4]), [
    { code: 'MISSING_FIELD', path: '[4].name', message: 'Missing field "name" at "[4]"' },
    {
      code: 'INVALID_TYPE',
      path: '[4].count',
      message: 'Invalid value "1.5" at "[4].count": must be an integer',
    },
    {
      code: 'INVALID_TYPE',
      path: '[4].tags[1]',
      message: 'Invalid value "2" at "[4].tags[1]": must be a string',
    },
    {
      code: 'INVALID_VALUE',
      path: '[4].kind',
      message: 'Invalid value "c" at "[4].kind": must be "a" or "b"',
    },
    {
      code: 'UNKNOWN_FIELD',
      path: '[4].extra',
      message: 'Unknown field "extra" at "[4]": not in test format',
    },
  ]);
});
