import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { KeyRateLimiter } from './rate-limiter.ts';

function taken(limiter: KeyRateLimiter, key: string, count: number): number {
  let served = 0;
  for (let index = 0; index < count; index += 1) {
    try {
      limiter.take(key);
      served += 1;
    } catch {
      // throttled
    }
  }
  return served;
}

test('refills each key bucket at the rate', () => {
  const clock = new FakeClock();
  const limiter = new KeyRateLimiter(10, clock);
  assert.equal(taken(limiter, 'a', 50), 20);
  assert.equal(taken(limiter, 'b', 5), 5);
  clock.advance(500);
  assert.equal(taken(limiter, 'a', 50), 5);
  clock.advance(10_000);
  assert.equal(taken(limiter, 'a', 50), 20);
});

test('throttles with ThrottlingException naming the key and the rate', () => {
  const limiter = new KeyRateLimiter(1, new FakeClock());
  limiter.take('AKIAKEY');
  limiter.take('AKIAKEY');
  assert.throws(() => limiter.take('AKIAKEY'), {
    code: 'ThrottlingException',
    message: 'Rate exceeded for access key "AKIAKEY": at most 1 requests per second',
  });
});

test('a rate of 0 turns limiting off', () => {
  assert.equal(taken(new KeyRateLimiter(0, new FakeClock()), 'a', 1000), 1000);
});
