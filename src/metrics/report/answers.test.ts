import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decode } from 'cbor-x';
import { buildAcceptedAnswer, buildRejectedAnswer, encodeAnswer } from './answers.ts';

const TIMESTAMP = 1_543_256_022_750;

describe('report answers', () => {
  it('encodes an accepted answer as the JSON AWS sends', () => {
    const answer = buildAcceptedAnswer({
      thingName: 'DefenderWorkshopThing',
      reportId: 1543256022,
      timestamp: TIMESTAMP,
    });

    assert.equal(
      encodeAnswer(answer, 'json').toString('utf8'),
      '{"thingName":"DefenderWorkshopThing","reportId":1543256022,"status":"ACCEPTED","timestamp":1543256022750}',
    );
  });

  it('encodes a rejected answer with its status details', () => {
    const answer = buildRejectedAnswer({
      thingName: 'pump-7',
      reportId: 12,
      code: 'InvalidPayload',
      message: 'Missing header at "header"',
      timestamp: TIMESTAMP,
    });

    assert.equal(
      encodeAnswer(answer, 'json').toString('utf8'),
      '{"thingName":"pump-7","reportId":12,"status":"REJECTED",' +
        '"statusDetails":{"ErrorCode":"InvalidPayload","ErrorMessage":"Missing header at \\"header\\""},' +
        '"timestamp":1543256022750}',
    );
  });

  it('leaves reportId out of a rejection when the id was not readable', () => {
    const answer = buildRejectedAnswer({
      thingName: 'pump-7',
      code: 'PayloadTooLarge',
      message: 'Metrics report too large: 200000 bytes, the maximum is 131072 bytes',
      timestamp: TIMESTAMP,
    });

    assert.equal('reportId' in answer, false);
    assert.deepEqual(Object.keys(answer), ['thingName', 'status', 'statusDetails', 'timestamp']);
  });

  it('encodes CBOR answers as plain maps with integer ids and timestamps', () => {
    const accepted = buildAcceptedAnswer({
      thingName: 't',
      reportId: 1_714_000_000_123,
      timestamp: TIMESTAMP,
    });
    const encoded = encodeAnswer(accepted, 'cbor');

    // Map of 4 pairs, then "thingName".
    assert.equal(
      encoded.subarray(0, 11).toString('hex'),
      'a469' + Buffer.from('thingName').toString('hex'),
    );
    // 0x1b is a CBOR unsigned integer in 8 bytes, while a float would start with 0xfb.
    const reportIdValue = encoded.indexOf(Buffer.from('reportId')) + 'reportId'.length;
    assert.equal(encoded[reportIdValue], 0x1b);
    assert.deepEqual(decode(encoded), {
      thingName: 't',
      reportId: 1_714_000_000_123n,
      status: 'ACCEPTED',
      timestamp: BigInt(TIMESTAMP),
    });
  });

  it('encodes a CBOR rejection with its status details', () => {
    const rejected = buildRejectedAnswer({
      thingName: 't',
      reportId: 5,
      code: 'Throttled',
      message: 'Report sent 10 s after the previous one',
      timestamp: TIMESTAMP,
    });

    assert.deepEqual(decode(encodeAnswer(rejected, 'cbor')), {
      thingName: 't',
      reportId: 5,
      status: 'REJECTED',
      statusDetails: {
        ErrorCode: 'Throttled',
        ErrorMessage: 'Report sent 10 s after the previous one',
      },
      timestamp: BigInt(TIMESTAMP),
    });
  });
});
