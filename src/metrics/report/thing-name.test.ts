import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseThingNamePathSegment, validateThingName } from './thing-name.ts';

function problem(message: string) {
  return { code: 'InvalidThingName', path: 'thingName', message };
}

describe('validateThingName', () => {
  it('accepts names of 1 to 128 bytes', () => {
    for (const name of [
      'a',
      'sensor-01:floor_2',
      'é'.repeat(64),
      'x'.repeat(128),
      'thing.with spaces',
    ]) {
      assert.equal(validateThingName(name), undefined, name);
    }
  });

  it('rejects each bad thing name with its message', () => {
    const cases: [string, string][] = [
      ['', 'Invalid thing name "": must be 1-128 bytes of UTF-8, received 0'],
      [
        '€'.repeat(43),
        `Invalid thing name "${'€'.repeat(43)}": must be 1-128 bytes of UTF-8, received 129`,
      ],
      [
        'x'.repeat(129),
        `Invalid thing name "${'x'.repeat(64)}…": must be 1-128 bytes of UTF-8, received 129`,
      ],
      ['a+b', 'Invalid thing name "a+b": must not contain "+", "#" or "/"'],
      ['a#', 'Invalid thing name "a#": must not contain "+", "#" or "/"'],
      ['a/b', 'Invalid thing name "a/b": must not contain "+", "#" or "/"'],
      ['a\u0000b', 'Invalid thing name "a\\u0000b": must not contain control characters'],
      ['a\nb', 'Invalid thing name "a\\nb": must not contain control characters'],
      ['a\u0085b', 'Invalid thing name "a\\u0085b": must not contain control characters'],
      ['a\u007f', 'Invalid thing name "a\\u007f": must not contain control characters'],
      [
        'a\ud800b',
        'Invalid thing name "a\\ud800b": must be valid Unicode, it contains an unpaired surrogate',
      ],
    ];

    for (const [name, message] of cases) {
      assert.deepEqual(validateThingName(name), problem(message), JSON.stringify(name));
    }
  });
});

describe('parseThingNamePathSegment', () => {
  it('decodes a percent-encoded name', () => {
    assert.deepEqual(parseThingNamePathSegment('caf%C3%A9%20one'), {
      ok: true,
      thingName: 'café one',
    });
  });

  it('rejects a segment that is not valid percent-encoded UTF-8', () => {
    assert.deepEqual(parseThingNamePathSegment('bad%E0%A4%A'), {
      ok: false,
      problem: problem('Invalid thing name "bad%E0%A4%A": must be valid percent-encoded UTF-8'),
    });
  });

  it('applies the thing name rules after decoding', () => {
    assert.deepEqual(parseThingNamePathSegment('a%2Fb'), {
      ok: false,
      problem: problem('Invalid thing name "a/b": must not contain "+", "#" or "/"'),
    });
    assert.deepEqual(parseThingNamePathSegment('a%00'), {
      ok: false,
      problem: problem('Invalid thing name "a\\u0000": must not contain control characters'),
    });
  });
});
