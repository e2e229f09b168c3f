import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { WardenError } from '../core/errors.ts';
import { fields, parseBody, parseParam } from './validation.ts';

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WardenError);
    assert.equal(error.code, 'InvalidRequestException');
    return error.message;
  }
  assert.fail('expected an InvalidRequestException');
}

const schema = z.strictObject({
  thingTypeName: fields.thingName.optional(),
  count: z.number().int().min(1).optional(),
});

test('parseBody words problems as AWS validation errors', () => {
  const cases: [unknown, string][] = [
    [
      { thingTypeName: 'bad name' },
      "1 validation error detected: Value 'bad name' at 'thingTypeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+",
    ],
    [
      { thingTypeName: 'x'.repeat(129) },
      `1 validation error detected: Value '${'x'.repeat(117)}...' at 'thingTypeName' failed to satisfy constraint: Member must have length less than or equal to 128`,
    ],
    [
      { count: 0 },
      "1 validation error detected: Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      { count: 'one' },
      "1 validation error detected: Value 'one' at 'count' failed to satisfy constraint: Member must be of type number",
    ],
    [
      { extra: 1, other: 2 },
      "1 validation error detected: Unknown field 'extra', 'other' in the request body",
    ],
  ];
  for (const [body, expected] of cases)
    assert.equal(
      message(() => parseBody(schema, body)),
      expected,
    );
});

test('parseBody counts every problem', () => {
  assert.match(
    message(() => parseBody(schema, { thingTypeName: '', count: 0 })),
    /^3 validation errors detected: /,
  );
});

test('parseParam names the parameter', () => {
  assert.equal(
    message(() => parseParam(fields.thingName, 'thingName', 'a/b')),
    "1 validation error detected: Value 'a/b' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+",
  );
});

test('parseBody rejects a null body and deep nesting without serializing them', () => {
  let deep: unknown = [];
  for (let level = 0; level < 10_000; level++) deep = [deep];
  assert.equal(
    message(() => parseBody(schema, null)),
    "1 validation error detected: Value 'null' at '' failed to satisfy constraint: Member must be of type object",
  );
  assert.equal(
    message(() => parseBody(schema, deep)),
    "1 validation error detected: Value '[list of 1]' at '' failed to satisfy constraint: Member must be of type object",
  );
  assert.equal(
    message(() =>
      parseBody(z.strictObject({ list: z.array(z.number()).max(2) }), { list: [1, 2, 3] }),
    ),
    "1 validation error detected: Value '[1,2,3]' at 'list' failed to satisfy constraint: Member must have length less than or equal to 2",
  );
});
