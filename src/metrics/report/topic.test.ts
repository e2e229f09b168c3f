import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAnswerTopic, parseReportTopic } from './topic.ts';

describe('parseReportTopic', () => {
  it('reads the thing name and format of a report topic', () => {
    assert.deepEqual(parseReportTopic('$aws/things/pump-7/defender/metrics/json'), {
      thingName: 'pump-7',
      format: 'json',
    });
    assert.deepEqual(parseReportTopic('$aws/things/pump-7/defender/metrics/cbor'), {
      thingName: 'pump-7',
      format: 'cbor',
    });
  });

  it('returns null for topics that are not report topics', () => {
    const topics = [
      '$aws/things/pump-7/defender/metrics/json/accepted',
      '$aws/things/pump-7/defender/metrics/cbor/rejected',
      '$aws/things/pump-7/defender/metrics/JSON',
      '$aws/things/pump-7/defender/metrics/xml',
      '$aws/things/pump-7/shadow/update',
      '$aws/things/defender/metrics/json',
      'things/pump-7/defender/metrics/json',
      '',
    ];
    for (const topic of topics) assert.equal(parseReportTopic(topic), null, topic);
  });

  it('returns the problem of a report topic whose thing name is invalid', () => {
    const cases: [string, string, string][] = [
      [
        '$aws/things/a+b/defender/metrics/json',
        'a+b',
        'Invalid thing name "a+b": must not contain "+", "#" or "/"',
      ],
      [
        '$aws/things/a#/defender/metrics/json',
        'a#',
        'Invalid thing name "a#": must not contain "+", "#" or "/"',
      ],
      [
        '$aws/things/a/b/defender/metrics/cbor',
        'a/b',
        'Invalid thing name "a/b": must not contain "+", "#" or "/"',
      ],
      [
        '$aws/things/a\u0000/defender/metrics/json',
        'a\u0000',
        'Invalid thing name "a\\u0000": must not contain control characters',
      ],
      [
        '$aws/things/a\nb/defender/metrics/json',
        'a\nb',
        'Invalid thing name "a\\nb": must not contain control characters',
      ],
      [
        '$aws/things//defender/metrics/json',
        '',
        'Invalid thing name "": must be 1-128 bytes of UTF-8, received 0',
      ],
      [
        `$aws/things/${'ü'.repeat(64)}x/defender/metrics/json`,
        `${'ü'.repeat(64)}x`,
        `Invalid thing name "${'ü'.repeat(64)}…": must be 1-128 bytes of UTF-8, received 129`,
      ],
    ];

    for (const [topic, thingName, message] of cases) {
      const parsed = parseReportTopic(topic);
      assert.equal(parsed?.thingName, thingName, topic);
      assert.deepEqual(
        parsed?.problem,
        { code: 'InvalidThingName', path: 'thingName', message },
        topic,
      );
    }
  });
});

describe('buildAnswerTopic', () => {
  it('appends the status to the report topic', () => {
    assert.equal(
      buildAnswerTopic('pump-7', 'cbor', 'rejected'),
      '$aws/things/pump-7/defender/metrics/cbor/rejected',
    );
    assert.equal(
      buildAnswerTopic('pump-7', 'json', 'accepted'),
      '$aws/things/pump-7/defender/metrics/json/accepted',
    );
  });
});
