import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from 'cbor-x';
import { decodeReport } from './decode.ts';

describe('decodeReport', () => {
  it('decodes JSON from a Buffer and from a plain Uint8Array', () => {
    const text = '{"header":{"report_id":1,"version":"1.0"}}';
    const expected = { ok: true, document: { header: { report_id: 1, version: '1.0' } } };

    assert.deepEqual(decodeReport(Buffer.from(text), 'json'), expected);
    assert.deepEqual(decodeReport(new TextEncoder().encode(text), 'json'), expected);
  });

  it('decodes definite and indefinite-length CBOR to the same document', () => {
    const definite = encode({ a: [1, 2], b: 'x' });
    const indefinite = Buffer.from('bf6161 9f0102ff 6162 6178 ff'.replace(/ /g, ''), 'hex');

    assert.deepEqual(decodeReport(definite, 'cbor'), { ok: true, document: { a: [1, 2], b: 'x' } });
    assert.deepEqual(decodeReport(indefinite, 'cbor'), {
      ok: true,
      document: { a: [1, 2], b: 'x' },
    });
  });

  it('keeps 64-bit CBOR integers as bigint', () => {
    const result = decodeReport(Buffer.from('1b0020000000000001', 'hex'), 'cbor');

    assert.deepEqual(result, { ok: true, document: 9007199254740993n });
  });

  it('renames a CBOR __proto__ key instead of changing the prototype', () => {
    const result = decodeReport(Buffer.from('a1695f5f70726f746f5f5fa0', 'hex'), 'cbor');

    assert.equal(result.ok, true);
    const document = result.ok ? (result.document as object) : {};
    assert.equal(Object.getPrototypeOf(document), Object.prototype);
    assert.deepEqual(Object.keys(document), ['__proto_']);
  });

  it('accepts a payload of exactly maxBytes and rejects one byte more', () => {
    const payload = Buffer.from('{"a":1}');

    assert.equal(decodeReport(payload, 'json', { maxBytes: payload.length }).ok, true);
    assert.deepEqual(decodeReport(payload, 'json', { maxBytes: payload.length - 1 }), {
      ok: false,
      problem: {
        code: 'PayloadTooLarge',
        path: '',
        message: 'Metrics report too large: 7 bytes, the maximum is 6 bytes',
      },
    });
  });

  it('rejects each malformed payload with what failed', () => {
    const cases: [string, Buffer, 'json' | 'cbor', string][] = [
      ['empty JSON', Buffer.alloc(0), 'json', 'Unexpected end of JSON input'],
      [
        'JSON with trailing text',
        Buffer.from('{"a":1} x'),
        'json',
        'Unexpected non-whitespace character after JSON at position 8',
      ],
      ['empty CBOR', Buffer.alloc(0), 'cbor', 'Unexpected end of CBOR data'],
      [
        'unterminated indefinite CBOR map',
        Buffer.from('bf616101', 'hex'),
        'cbor',
        'Unexpected end of CBOR data',
      ],
      [
        'CBOR with trailing bytes',
        Buffer.from('a1616101 01'.replace(/ /g, ''), 'hex'),
        'cbor',
        'Data read, but end of buffer not reached',
      ],
      [
        'CBOR map with a byte string key',
        Buffer.from('a1436162636161', 'hex'),
        'cbor',
        'Invalid property name type object',
      ],
      [
        'CBOR nested 100,000 levels deep',
        Buffer.alloc(100_000, 0x81),
        'cbor',
        'nesting is too deep',
      ],
    ];

    for (const [name, payload, format, reason] of cases) {
      assert.deepEqual(
        decodeReport(payload, format),
        {
          ok: false,
          problem: {
            code: 'InvalidPayload',
            path: '',
            message: `Malformed metrics report: ${reason}`,
          },
        },
        name,
      );
    }
  });

  it('throws a RangeError for an invalid maxBytes option', () => {
    assert.throws(() => decodeReport(Buffer.from('{}'), 'json', { maxBytes: 0 }), {
      name: 'RangeError',
      message: 'Invalid option "maxBytes" 0: must be a positive integer',
    });
  });
});
