import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket } from './publish-throttle.ts';

test('token bucket bursts one minute, then refills', () => {
  const start = 1_000_000;
  const bucket = new TokenBucket(6, start);
  const burst = Array.from({ length: 8 }, () => bucket.take(start));
  assert.deepEqual(burst, [true, true, true, true, true, true, false, false]);

  assert.equal(bucket.take(start + 9_999), false, 'just under one token after 9.999 s');
  assert.equal(bucket.take(start + 10_000), true, 'one token after 10 s at 6 per minute');
  assert.equal(bucket.take(start + 10_000), false);
});

test('token bucket caps at one minute', () => {
  const bucket = new TokenBucket(2, 0);
  const taken = [0, 0, 0].map(() => bucket.take(3_600_000));
  assert.deepEqual(taken, [true, true, false]);
});

test('token bucket ignores clock steps back', () => {
  const bucket = new TokenBucket(1, 60_000);
  assert.equal(bucket.take(60_000), true);
  assert.equal(bucket.take(0), false);
  assert.equal(bucket.take(60_000), false, 'the step back gave no tokens');
  assert.equal(bucket.take(120_000), true);
});
