import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decide, GUARD_WINDOW_MS, MAX_SKIPPED_LISTED, type GuardState } from './hourly-guard.ts';

const MINUTE = 60 * 1000;

function subject(name: string) {
  return { key: `thing:${name}`, label: name };
}

/** Feeds subjects through the guard at the given minutes and returns each outcome in order. */
function run(limit: number, steps: [minute: number, name: string][]) {
  let state: GuardState = { ruleName: 'rule', acted: [] };
  const outcomes: string[] = [];
  for (const [minute, name] of steps) {
    const result = decide(state, subject(name), limit, minute * MINUTE);
    state = result.state;
    const decision = result.decision;
    if (decision.outcome === 'skipped')
      outcomes.push(`${name}:skipped${decision.firstSkip ? '(first)' : ''}`);
    else outcomes.push(`${name}:admitted${decision.cleared ? '(cleared)' : ''}`);
  }
  return { state, outcomes };
}

describe('hourly guard', () => {
  test('admits the limit of distinct things and skips the next', () => {
    const { outcomes, state } = run(2, [
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
    assert.deepEqual(outcomes, ['a:admitted', 'b:admitted', 'c:skipped(first)', 'd:skipped']);
    assert.deepEqual(
      state.trip?.skipped.map((entry) => entry.label),
      ['c', 'd'],
    );
    assert.equal(state.trip?.skippedCount, 2);
    assert.equal(state.trip?.trippedAt, 2 * MINUTE);
    assert.equal(state.trip?.alerted, false);
  });

  test('admits a thing already in the window while the window is full', () => {
    const { outcomes } = run(2, [
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'a'],
    ]);
    assert.deepEqual(outcomes, ['a:admitted', 'b:admitted', 'c:skipped(first)', 'a:admitted']);
  });

  test('counts a repeated skip once in the list but in the count', () => {
    const { state } = run(1, [
      [0, 'a'],
      [1, 'b'],
      [2, 'b'],
    ]);
    assert.deepEqual(
      state.trip?.skipped.map((entry) => entry.label),
      ['b'],
    );
    assert.equal(state.trip?.skippedCount, 2);
  });

  test('frees a slot exactly one hour after the action', () => {
    const { outcomes } = run(1, [
      [0, 'a'],
      [59, 'b'],
      [60, 'c'],
    ]);
    assert.deepEqual(outcomes, ['a:admitted', 'b:skipped(first)', 'c:admitted(cleared)']);
  });

  test('keeps every hour-long interval within the limit', () => {
    // "a" is acted on again at minute 50. Counting it from minute 0 would admit "c" at minute
    // 61, and minutes 30 to 90 would then hold three things.
    const { outcomes } = run(2, [
      [0, 'a'],
      [30, 'b'],
      [50, 'a'],
      [61, 'c'],
      [90, 'd'],
      [100, 'e'],
      [110, 'f'],
    ]);
    assert.deepEqual(outcomes, [
      'a:admitted',
      'b:admitted',
      'a:admitted',
      'c:skipped(first)',
      'd:admitted(cleared)',
      'e:skipped(first)',
      'f:admitted(cleared)',
    ]);
  });

  test('drops entries older than the window', () => {
    const { state } = run(5, [
      [0, 'a'],
      [30, 'b'],
      [GUARD_WINDOW_MS / MINUTE + 1, 'c'],
    ]);
    assert.deepEqual(
      state.acted.map((entry) => entry.label),
      ['b', 'c'],
    );
  });

  test('lists at most the cap of skipped things', () => {
    const steps: [number, string][] = [[0, 'acted']];
    for (let index = 0; index < MAX_SKIPPED_LISTED + 5; index++) steps.push([1, `skip-${index}`]);
    const { state } = run(1, steps);
    assert.equal(state.trip?.skipped.length, MAX_SKIPPED_LISTED);
    assert.equal(state.trip?.skippedCount, MAX_SKIPPED_LISTED + 5);
  });
});
