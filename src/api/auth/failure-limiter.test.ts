import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../core/clock.ts';
import { FailureLimiter } from './failure-limiter.ts';

test('refuses an address past its limit until the minute ends, and no other', () => {
  const clock = new FakeClock();
  const limiter = new FailureLimiter(3, clock);
  assert.deepEqual(
    [1, 2, 3].map(() => limiter.recordFailure('10.0.0.1')),
    [false, false, true],
  );
  clock.advance(15_000);
  assert.throws(() => limiter.check('10.0.0.1'), {
    code: 'ThrottlingException',
    message:
      'Too many refused requests from "10.0.0.1": more than 3 in a minute; try again in 45 s',
  });
  limiter.check('10.0.0.2');
  clock.advance(45_000);
  limiter.check('10.0.0.1');
});

test('a limit of 0 turns it off', () => {
  const limiter = new FailureLimiter(0, new FakeClock());
  for (let index = 0; index < 1000; index += 1) limiter.recordFailure('10.0.0.1');
  limiter.check('10.0.0.1');
});
