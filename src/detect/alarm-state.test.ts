import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  INITIAL_ALARM_STATE,
  INVALIDATE_AFTER_MS,
  alarmThresholds,
  invalidate,
  isStale,
  step,
  type AlarmEvent,
  type AlarmState,
  type AlarmThresholds,
} from './alarm-state.ts';

const FIVE_MINUTES = 300_000;
const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);

/** Feeds a string of `x` (violating) and `.` (compliant) datapoints, 5 minutes apart. */
function run(
  pattern: string,
  thresholds: AlarmThresholds,
  start: AlarmState = INITIAL_ALARM_STATE,
) {
  let state = start;
  const events: (AlarmEvent & { index: number })[] = [];
  const states: AlarmState[] = [];
  [...pattern].forEach((symbol, index) => {
    const observation = {
      compliant: symbol === '.',
      value: { count: index },
      time: T0 + index * FIVE_MINUTES,
    };
    const result = step(state, observation, thresholds);
    state = result.state;
    states.push(state);
    if (result.event) events.push({ ...result.event, index });
  });
  return { state, events, states };
}

const THREE_TWO = { toAlarm: 3, toClear: 2 };

describe('step', () => {
  test('raises and clears with default thresholds', () => {
    const { events } = run('.x.x', { toAlarm: 1, toClear: 1 });
    assert.deepEqual(
      events.map((event) => [event.type, event.index]),
      [
        ['in-alarm', 1],
        ['alarm-cleared', 2],
        ['in-alarm', 3],
      ],
    );
  });

  test('alarms after three violations in a row', () => {
    const { events, states } = run('xx.xxx', THREE_TWO);
    assert.deepEqual(
      states.map((state) => (state.status === 'normal' ? state.badStreak : 'alarm')),
      [1, 2, 0, 1, 2, 'alarm'],
    );
    assert.deepEqual(events, [
      { type: 'in-alarm', time: T0 + 5 * FIVE_MINUTES, value: { count: 5 }, index: 5 },
    ]);
  });

  test('clears only after two compliant datapoints in a row', () => {
    const { events, states } = run('xxx.x..', THREE_TWO);
    assert.deepEqual(
      events.map((event) => [event.type, event.index]),
      [
        ['in-alarm', 2],
        ['alarm-cleared', 6],
      ],
    );
    assert.deepEqual(
      states.map((state) => (state.status === 'in-alarm' ? state.goodStreak : 'normal')),
      ['normal', 'normal', 0, 1, 0, 1, 'normal'],
    );
    assert.deepEqual(events[1]?.value, { count: 6 });
  });

  test('tracks the last violation while in alarm', () => {
    const { state } = run('xxx.xx.', THREE_TWO);
    assert.equal(state.status, 'in-alarm');
    if (state.status !== 'in-alarm') return;
    assert.equal(state.violationStartTime, T0 + 2 * FIVE_MINUTES);
    assert.equal(state.lastViolationTime, T0 + 5 * FIVE_MINUTES);
    assert.deepEqual(state.lastViolationValue, { count: 5 });
    assert.equal(state.goodStreak, 1);
  });

  test('starts the violation at the alarming datapoint', () => {
    const { state } = run('..xxx', THREE_TWO);
    assert.equal(state.status, 'in-alarm');
    if (state.status !== 'in-alarm') return;
    assert.equal(state.violationStartTime, T0 + 4 * FIVE_MINUTES);
    assert.equal(state.lastViolationTime, T0 + 4 * FIVE_MINUTES);
  });

  test('raises a second violation after clearing', () => {
    const { events } = run('xxx..xxx..', THREE_TWO);
    assert.deepEqual(
      events.map((event) => [event.type, event.index]),
      [
        ['in-alarm', 2],
        ['alarm-cleared', 4],
        ['in-alarm', 7],
        ['alarm-cleared', 9],
      ],
    );
  });

  test('stays normal on compliant datapoints', () => {
    const { events, state } = run('.....', THREE_TWO);
    assert.deepEqual(events, []);
    assert.deepEqual(state, { status: 'normal', badStreak: 0 });
  });

  test('fires at once when a threshold was lowered', () => {
    const before = run('xx', { toAlarm: 5, toClear: 1 }).state;
    const { events } = run('x', { toAlarm: 2, toClear: 1 }, before);
    assert.equal(events[0]?.type, 'in-alarm');
  });

  test('does not modify the input state', () => {
    const state = Object.freeze({ status: 'normal', badStreak: 0 } as const);
    step(state, { compliant: false, value: { count: 1 }, time: T0 }, THREE_TWO);
    assert.deepEqual(state, { status: 'normal', badStreak: 0 });
  });

  test('rejects thresholds outside 1-10', () => {
    const observation = { compliant: true, value: { count: 1 }, time: T0 };
    const cases: [AlarmThresholds, string][] = [
      [{ toAlarm: 0, toClear: 1 }, 'Invalid alarm threshold toAlarm "0": must be an integer 1-10'],
      [
        { toAlarm: 11, toClear: 1 },
        'Invalid alarm threshold toAlarm "11": must be an integer 1-10',
      ],
      [
        { toAlarm: 1, toClear: 1.5 },
        'Invalid alarm threshold toClear "1.5": must be an integer 1-10',
      ],
    ];
    for (const [thresholds, message] of cases) {
      assert.throws(() => step(INITIAL_ALARM_STATE, observation, thresholds), {
        name: 'RangeError',
        message,
      });
    }
  });
});

describe('alarmThresholds', () => {
  test('defaults both counts to 1', () => {
    assert.deepEqual(alarmThresholds(undefined), { toAlarm: 1, toClear: 1 });
    assert.deepEqual(alarmThresholds({ consecutiveDatapointsToAlarm: 3 }), {
      toAlarm: 3,
      toClear: 1,
    });
    assert.deepEqual(
      alarmThresholds({ consecutiveDatapointsToAlarm: 3, consecutiveDatapointsToClear: 2 }),
      THREE_TWO,
    );
  });
});

describe('invalidate', () => {
  test('emits alarm-invalidated for an active violation', () => {
    const { state } = run('xxx', THREE_TWO);
    const result = invalidate(state, 'no-datapoints', T0 + INVALIDATE_AFTER_MS);
    assert.deepEqual(result, {
      state: { status: 'normal', badStreak: 0 },
      event: { type: 'alarm-invalidated', time: T0 + INVALIDATE_AFTER_MS, reason: 'no-datapoints' },
    });
  });

  test('resets a normal state without an event', () => {
    const { state } = run('xx', THREE_TWO);
    assert.deepEqual(invalidate(state, 'behavior-removed', T0), {
      state: { status: 'normal', badStreak: 0 },
    });
  });
});

describe('isStale', () => {
  test('flags active violations silent for more than two days', () => {
    const { state: inAlarm } = run('x', { toAlarm: 1, toClear: 1 });
    assert.equal(INVALIDATE_AFTER_MS, 172_800_000);
    assert.equal(isStale(inAlarm, T0, T0 + INVALIDATE_AFTER_MS), false);
    assert.equal(isStale(inAlarm, T0, T0 + INVALIDATE_AFTER_MS + 1), true);
    assert.equal(isStale(INITIAL_ALARM_STATE, T0, T0 + 10 * INVALIDATE_AFTER_MS), false);
  });
});
