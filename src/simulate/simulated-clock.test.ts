import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_STEP_MS, SimulatedClock } from './simulated-clock.ts';

describe('SimulatedClock', () => {
  test('moves one step per call only', () => {
    const clock = new SimulatedClock({ start: 1_000, stepMs: 60_000 });
    assert.equal(clock.now(), 1_000);
    clock.step();
    clock.step();
    assert.equal(clock.now(), 121_000);
  });

  test('starts at midnight UTC today with 5-minute steps by default', () => {
    const clock = new SimulatedClock();
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    assert.equal(clock.now(), midnight.getTime());
    assert.equal(clock.stepMs, DEFAULT_STEP_MS);
    assert.equal(DEFAULT_STEP_MS, 300_000);
  });

  test('rejects a bad start or step', () => {
    const cases: [object, string][] = [
      [{ start: Number.NaN }, 'Invalid simulated start "NaN": must be epoch milliseconds'],
      [{ stepMs: 0 }, 'Invalid simulated step "0": must be a positive integer'],
      [{ stepMs: 1.5 }, 'Invalid simulated step "1.5": must be a positive integer'],
    ];
    for (const [options, message] of cases) {
      assert.throws(() => new SimulatedClock(options), { name: 'RangeError', message });
    }
  });
});
