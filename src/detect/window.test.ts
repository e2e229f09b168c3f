import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  BUCKET_MS,
  addMessageSize,
  addToCounterBuckets,
  appendSample,
  bucketStart,
  cloudCounterDatapoint,
  deviceDatapoint,
  disconnectDurationMinutes,
  messageSizeDatapoint,
  sumInWindow,
  type CounterBucket,
  type MessageSizeBucket,
  type Sample,
} from './window.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const MINUTE = 60_000;

function series(entries: [minutes: number, value: number][]): Sample[] {
  let history: Sample[] = [];
  for (const [minutes, value] of entries) {
    history = appendSample(history, { time: T0 + minutes * MINUTE, value });
  }
  return history;
}

describe('sumInWindow', () => {
  test('sums the reports in the trailing window, current one included', () => {
    const history = series([
      [0, 100],
      [5, 200],
      [10, 300],
      [15, 400],
    ]);
    const now = T0 + 15 * MINUTE;
    assert.equal(sumInWindow(history, now, 300), 400);
    assert.equal(sumInWindow(history, now, 600), 700);
    assert.equal(sumInWindow(history, now, 900), 900);
    assert.equal(sumInWindow(history, now, 1800), 1000);
  });

  test('excludes the report exactly one window old', () => {
    const history = series([
      [0, 1],
      [15, 2],
    ]);
    assert.equal(sumInWindow(history, T0 + 15 * MINUTE, 900), 2);
    assert.equal(sumInWindow(history, T0 + 15 * MINUTE - 1, 900), 1);
  });

  test('ignores reports after now', () => {
    const history = series([
      [0, 1],
      [5, 2],
    ]);
    assert.equal(sumInWindow(history, T0, 900), 1);
  });
});

describe('deviceDatapoint', () => {
  const history = series([
    [0, 10],
    [5, 20],
    [10, 30],
  ]);
  const now = T0 + 10 * MINUTE;

  test('sums deltas for delta counters', () => {
    assert.equal(deviceDatapoint('device-delta', history, now, 600), 50);
    assert.equal(deviceDatapoint('device-delta', history, now, 3600), 60);
  });

  test('uses the latest delta without a duration', () => {
    assert.equal(deviceDatapoint('device-delta', history, now), 30);
  });

  test('uses the latest value for gauges whatever the duration', () => {
    assert.equal(deviceDatapoint('device-gauge', history, now), 30);
    assert.equal(deviceDatapoint('device-gauge', history, now, 3600), 30);
  });

  test('returns undefined for an empty series', () => {
    assert.equal(deviceDatapoint('device-delta', [], now, 300), undefined);
  });

  test('rejects non-device aggregations', () => {
    assert.throws(() => deviceDatapoint('cloud-counter', history, now, 300), {
      name: 'RangeError',
      message: 'Aggregation "cloud-counter" is not a device-side numeric aggregation',
    });
  });
});

describe('appendSample', () => {
  test('keeps samples sorted when one arrives late', () => {
    const history = series([
      [10, 3],
      [0, 1],
      [5, 2],
    ]);
    assert.deepEqual(
      history.map((sample) => sample.value),
      [1, 2, 3],
    );
  });

  test('drops samples older than the longest window', () => {
    const history = series([
      [0, 1],
      [60, 2],
      [65, 3],
      [66, 4],
    ]);
    assert.deepEqual(
      history.map((sample) => sample.value),
      [2, 3, 4],
    );
  });

  test('caps the number of samples, dropping the oldest', () => {
    let history: Sample[] = [];
    for (let index = 0; index < 10; index++) {
      history = appendSample(history, { time: T0 + index, value: index }, { maxEntries: 4 });
    }
    assert.deepEqual(
      history.map((sample) => sample.value),
      [6, 7, 8, 9],
    );
  });

  test('does not modify the input array', () => {
    const history: Sample[] = [{ time: T0, value: 1 }];
    appendSample(history, { time: T0 + 1, value: 2 });
    assert.equal(history.length, 1);
  });
});

describe('cloud counters', () => {
  test('aligns buckets to 5-minute boundaries', () => {
    assert.equal(bucketStart(T0), T0);
    assert.equal(bucketStart(T0 + BUCKET_MS - 1), T0);
    assert.equal(bucketStart(T0 + BUCKET_MS), T0 + BUCKET_MS);
  });

  test('sums the closed buckets of the trailing window', () => {
    let buckets: CounterBucket[] = [];
    const events: [minutes: number, amount: number][] = [
      [1, 1],
      [2, 1],
      [6, 5],
      [12, 10],
      [14, 0],
      [16, 100],
    ];
    for (const [minutes, amount] of events) {
      buckets = addToCounterBuckets(buckets, T0 + minutes * MINUTE, amount);
    }
    assert.deepEqual(
      buckets.map((bucket) => [(bucket.start - T0) / MINUTE, bucket.count]),
      [
        [0, 2],
        [5, 5],
        [10, 10],
        [15, 100],
      ],
    );

    const boundary = T0 + 15 * MINUTE;
    assert.equal(cloudCounterDatapoint(buckets, boundary, 300), 10);
    assert.equal(cloudCounterDatapoint(buckets, boundary, 600), 15);
    assert.equal(cloudCounterDatapoint(buckets, boundary, 900), 17);
    assert.equal(cloudCounterDatapoint(buckets, boundary, 3600), 17);
    assert.equal(cloudCounterDatapoint(buckets, T0 + 20 * MINUTE, 300), 100);
  });

  test('creates a zero bucket to mark activity', () => {
    const buckets = addToCounterBuckets([], T0 + MINUTE, 0);
    assert.deepEqual(buckets, [{ start: T0, count: 0 }]);
  });

  test('keeps buckets for the longest window only', () => {
    let buckets: CounterBucket[] = [];
    for (let minutes = 0; minutes <= 120; minutes += 5) {
      buckets = addToCounterBuckets(buckets, T0 + minutes * MINUTE);
    }
    assert.equal(buckets.length, 13);
    assert.equal(buckets[0]?.start, T0 + 60 * MINUTE);
  });

  test('does not modify the input buckets', () => {
    const buckets: CounterBucket[] = [{ start: T0, count: 1 }];
    addToCounterBuckets(buckets, T0 + MINUTE, 4);
    assert.deepEqual(buckets, [{ start: T0, count: 1 }]);
  });
});

describe('message sizes', () => {
  test('keeps the min, max and sum of each bucket', () => {
    let buckets: MessageSizeBucket[] = [];
    for (const [minutes, bytes] of [
      [0, 300],
      [1, 1200],
      [2, 40],
      [6, 500],
    ] as const) {
      buckets = addMessageSize(buckets, T0 + minutes * MINUTE, bytes);
    }
    assert.deepEqual(buckets, [
      { start: T0, min: 40, max: 1200, sum: 1540, messages: 3 },
      { start: T0 + BUCKET_MS, min: 500, max: 500, sum: 500, messages: 1 },
    ]);
  });

  test('evaluates the max for upper bounds and the min for lower bounds', () => {
    const bucket: MessageSizeBucket = { start: T0, min: 40, max: 1200, sum: 1540, messages: 3 };
    assert.equal(messageSizeDatapoint(bucket, 'less-than'), 1200);
    assert.equal(messageSizeDatapoint(bucket, 'less-than-equals'), 1200);
    assert.equal(messageSizeDatapoint(bucket, 'greater-than'), 40);
    assert.equal(messageSizeDatapoint(bucket, 'greater-than-equals'), 40);
    assert.throws(() => messageSizeDatapoint(bucket, 'in-set'), {
      name: 'RangeError',
      message: 'Operator "in-set" does not apply to message sizes',
    });
  });
});

describe('disconnectDurationMinutes', () => {
  test('counts whole minutes since the disconnect', () => {
    assert.equal(disconnectDurationMinutes(undefined, T0), 0);
    assert.equal(disconnectDurationMinutes(T0, T0), 0);
    assert.equal(disconnectDurationMinutes(T0, T0 + MINUTE - 1), 0);
    assert.equal(disconnectDurationMinutes(T0, T0 + 5 * MINUTE), 5);
    assert.equal(disconnectDurationMinutes(T0, T0 + 90 * MINUTE + 59_999), 90);
    assert.equal(disconnectDurationMinutes(T0 + MINUTE, T0), 0);
  });
});
