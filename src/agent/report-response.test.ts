import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { encode } from 'cbor-x';

import { decodeResponse, describeResponse } from './report-response.ts';

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('decodeResponse', () => {
  it('reads an accepted JSON response', () => {
    const payload = json({
      thingName: 't1',
      reportId: 1543256022,
      status: 'ACCEPTED',
      timestamp: 1543256022750,
    });
    assert.deepEqual(decodeResponse(payload, 'json', 'accepted'), {
      status: 'ACCEPTED',
      reportId: 1543256022,
    });
  });

  it('reads a rejected CBOR response', () => {
    const payload = encode({
      thingName: 't1',
      reportId: 17,
      status: 'REJECTED',
      statusDetails: { ErrorCode: 'InvalidPayload', ErrorMessage: 'Malformed metrics report' },
      timestamp: 1543256022750,
    });
    assert.deepEqual(decodeResponse(payload, 'cbor', 'rejected'), {
      status: 'REJECTED',
      reportId: 17,
      errorCode: 'InvalidPayload',
      errorMessage: 'Malformed metrics report',
    });
  });

  it('reads a 64-bit CBOR report id', () => {
    const payload = encode({ reportId: 1_700_000_000_123n, status: 'ACCEPTED' });
    assert.deepEqual(decodeResponse(payload, 'cbor', 'accepted'), {
      status: 'ACCEPTED',
      reportId: 1_700_000_000_123,
    });
  });

  it('keeps a rejection without id or details', () => {
    assert.deepEqual(decodeResponse(json({ status: 'REJECTED' }), 'json', 'rejected'), {
      status: 'REJECTED',
      errorCode: 'unknown',
      errorMessage: '',
    });
  });

  it('rejects payloads that are not responses', () => {
    const cases: [Uint8Array, 'json' | 'cbor', 'accepted' | 'rejected', RegExp | string][] = [
      [Buffer.from('{'), 'json', 'accepted', /^Cannot decode json response: /],
      [Buffer.from([0xff]), 'cbor', 'accepted', /^Cannot decode cbor response: /],
      [json([1, 2]), 'json', 'accepted', 'Invalid json response: expected an object'],
      [encode('text'), 'cbor', 'rejected', 'Invalid cbor response: expected an object'],
      [
        json({ status: 'REJECTED' }),
        'json',
        'accepted',
        'Invalid response on the accepted topic: status is "REJECTED"',
      ],
    ];
    for (const [payload, format, kind, message] of cases) {
      assert.throws(() => decodeResponse(payload, format, kind), { message }, String(message));
    }
  });
});

describe('describeResponse', () => {
  it('writes one line per response', () => {
    assert.equal(describeResponse({ status: 'ACCEPTED', reportId: 5 }), 'Report 5 accepted');
    assert.equal(
      describeResponse({
        status: 'REJECTED',
        reportId: 5,
        errorCode: 'Throttled',
        errorMessage: 'Too soon',
      }),
      'Report 5 rejected with Throttled: Too soon',
    );
    assert.equal(
      describeResponse({ status: 'REJECTED', errorCode: 'InvalidPayload', errorMessage: '' }),
      'Report with unknown id rejected with InvalidPayload',
    );
  });
});
