/**
 * The alarm state of one (thing, security profile, behavior) triple as a pure transition
 * function. A violation starts after `consecutiveDatapointsToAlarm` violating datapoints in a
 * row and clears after `consecutiveDatapointsToClear` compliant ones in a row, both 1-10 with a
 * default of 1. Times are epoch milliseconds, as Warden's clock gives them.
 */

import type { BehaviorCriteria } from './behavior.ts';
import type { MetricValue } from './metric-value.ts';

/** No violation. `badStreak` counts the violating datapoints seen in a row so far. */
export interface NormalState {
  status: 'normal';
  badStreak: number;
}

/** An active violation. `goodStreak` counts the compliant datapoints seen in a row so far. */
export interface InAlarmState {
  status: 'in-alarm';
  goodStreak: number;
  /** Time of the datapoint that raised the alarm, not of the first violating one. */
  violationStartTime: number;
  lastViolationTime: number;
  lastViolationValue: MetricValue;
}

/** Alarm state of one (thing, security profile, behavior) triple. */
export type AlarmState = NormalState | InAlarmState;

/** One evaluated datapoint. */
export interface AlarmObservation {
  compliant: boolean;
  value: MetricValue;
  time: number;
}

/** Consecutive-datapoint counts that raise and clear an alarm. */
export interface AlarmThresholds {
  toAlarm: number;
  toClear: number;
}

/** A transition into or out of alarm, to be stored as a violation event. */
export interface AlarmEvent {
  type: 'in-alarm' | 'alarm-cleared';
  time: number;
  value: MetricValue;
}

/** Result of one step: the next state and the event the step produced, if any. */
export interface AlarmStep {
  state: AlarmState;
  event?: AlarmEvent;
}

/** Reason an active violation stopped being monitored. */
export type InvalidationReason =
  'no-datapoints' | 'behavior-removed' | 'profile-deleted' | 'target-detached' | 'thing-deleted';

/** An `alarm-invalidated` transition. It has no metric value, as in AWS's events. */
export interface InvalidationEvent {
  type: 'alarm-invalidated';
  time: number;
  reason: InvalidationReason;
}

/** Result of `invalidate`. */
export interface InvalidationStep {
  state: NormalState;
  event?: InvalidationEvent;
}

/** The state before any datapoint. */
export const INITIAL_ALARM_STATE: NormalState = Object.freeze({ status: 'normal', badStreak: 0 });

/**
 * Time without datapoints after which an active violation is invalidated: the developer guide
 * states "more than two days". Milliseconds, to match Warden's clock.
 */
export const INVALIDATE_AFTER_MS = 2 * 24 * 60 * 60 * 1000;

/** Reads the two consecutive-datapoint counts from criteria, applying the API default of 1. */
export function alarmThresholds(criteria: BehaviorCriteria | undefined): AlarmThresholds {
  return {
    toAlarm: criteria?.consecutiveDatapointsToAlarm ?? 1,
    toClear: criteria?.consecutiveDatapointsToClear ?? 1,
  };
}

/**
 * Advances the state by one datapoint. While in alarm, every violating datapoint updates
 * `lastViolationTime` and `lastViolationValue` and resets the clearing streak. Streaks longer
 * than the thresholds, as left behind when a behavior's counts are lowered, fire at once.
 *
 * @throws RangeError when a threshold is not an integer 1-10.
 */
export function step(
  state: AlarmState,
  observation: AlarmObservation,
  thresholds: AlarmThresholds,
): AlarmStep {
  checkThreshold('toAlarm', thresholds.toAlarm);
  checkThreshold('toClear', thresholds.toClear);

  if (state.status === 'normal') return stepNormal(state, observation, thresholds.toAlarm);
  return stepInAlarm(state, observation, thresholds.toClear);
}

function stepNormal(state: NormalState, observation: AlarmObservation, toAlarm: number): AlarmStep {
  if (observation.compliant) return { state: { status: 'normal', badStreak: 0 } };

  const badStreak = state.badStreak + 1;
  if (badStreak < toAlarm) return { state: { status: 'normal', badStreak } };

  const { time, value } = observation;
  return {
    state: {
      status: 'in-alarm',
      goodStreak: 0,
      violationStartTime: time,
      lastViolationTime: time,
      lastViolationValue: value,
    },
    event: { type: 'in-alarm', time, value },
  };
}

function stepInAlarm(
  state: InAlarmState,
  observation: AlarmObservation,
  toClear: number,
): AlarmStep {
  const { time, value } = observation;
  if (!observation.compliant) {
    return {
      state: { ...state, goodStreak: 0, lastViolationTime: time, lastViolationValue: value },
    };
  }

  const goodStreak = state.goodStreak + 1;
  if (goodStreak < toClear) return { state: { ...state, goodStreak } };
  return {
    state: { status: 'normal', badStreak: 0 },
    event: { type: 'alarm-cleared', time, value },
  };
}

/**
 * Ends monitoring of a triple, for example when its thing sent no datapoints for
 * `INVALIDATE_AFTER_MS` or its behavior was deleted. An active violation yields an
 * `alarm-invalidated` event. A normal state just loses its streak and yields no event.
 */
export function invalidate(
  state: AlarmState,
  reason: InvalidationReason,
  time: number,
): InvalidationStep {
  const next: NormalState = { status: 'normal', badStreak: 0 };
  if (state.status === 'normal') return { state: next };
  return { state: next, event: { type: 'alarm-invalidated', time, reason } };
}

/** Tells whether an active violation has gone without datapoints for longer than two days. */
export function isStale(state: AlarmState, lastDatapointTime: number, now: number): boolean {
  return state.status === 'in-alarm' && now - lastDatapointTime > INVALIDATE_AFTER_MS;
}

function checkThreshold(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 10) {
    throw new RangeError(`Invalid alarm threshold ${name} "${value}": must be an integer 1-10`);
  }
}
