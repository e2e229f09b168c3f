import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { RegistryState } from '../registry/registry.ts';
import {
  alarmThresholds,
  INITIAL_ALARM_STATE,
  invalidate,
  isStale,
  step,
  type InvalidationReason,
} from './alarm-state.ts';
import type { Behavior } from './behavior.ts';
import { isCompliant, isEvaluable } from './criteria.ts';
import type {
  AlarmRecord,
  SecurityProfile,
  StoredReport,
  StoredViolationEvent,
  Violation,
} from './detect-records.ts';
import { alarmKey, type DetectState } from './detect-state.ts';
import type { EvaluationWrite } from './detect-store.ts';
import { builtInMetric, customMetricRules, type MetricRules } from './metric-catalog.ts';
import type { MetricValue } from './metric-value.ts';
import { profilesForThing } from './profile-targets.ts';
import { appendSample, deviceDatapoint, MAX_WINDOW_MS, type Sample } from './window.ts';

/** Receives every violation event after it was stored; alert delivery hangs off this. */
export type ViolationListener = (
  event: StoredViolationEvent,
  profile: SecurityProfile | undefined,
) => void;

/**
 * Evaluates datapoints against the behaviors of the profiles that cover a thing, advances each
 * behavior's alarm state, and stores the resulting violations and events in one write.
 */
export class Evaluator {
  private readonly deviceHistory = new Map<string, Map<string, Sample[]>>();
  private readonly listeners: ViolationListener[] = [];
  private readonly customRules = new Map<string, MetricRules>();

  constructor(
    private readonly state: DetectState,
    private readonly registry: RegistryState,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  onViolationEvent(listener: ViolationListener): void {
    this.listeners.push(listener);
  }

  /** Returns the rules of a metric name: built-in, or a registered custom metric. */
  metricRules(name: string): MetricRules | undefined {
    const builtIn = builtInMetric(name);
    if (builtIn) return builtIn;
    const custom = this.state.customMetrics.get(name);
    if (!custom) return undefined;
    // Deriving the rules allocates a fresh object; reports ask for them several times each.
    const key = `${name}\u0000${custom.metricType}`;
    let rules = this.customRules.get(key);
    if (!rules) {
      rules = customMetricRules(name, custom.metricType);
      this.customRules.set(key, rules);
    }
    return rules;
  }

  /** Evaluates one accepted device report: each datapoint against each behavior on its metric. */
  async evaluateReport(report: StoredReport): Promise<void> {
    const profiles = profilesForThing(this.state, this.registry, report.thingName);
    const values = new Map(report.datapoints.map((point) => [point.metric, point.value]));
    this.recordDeviceHistory(report);

    const write = emptyWrite();
    for (const profile of profiles) {
      for (const behavior of profile.behaviors) {
        const value = this.deviceValue(report, behavior, values);
        if (value !== undefined)
          this.applyDatapoint(write, {
            thingName: report.thingName,
            profile,
            behavior,
            value,
            time: report.time,
          });
      }
    }
    await this.commit(write);
  }

  private deviceValue(
    report: StoredReport,
    behavior: Behavior,
    values: Map<string, MetricValue>,
  ): MetricValue | undefined {
    const metric = behavior.metric;
    if (metric === undefined || !values.has(metric) || behavior.metricDimension !== undefined)
      return undefined;
    const rules = this.metricRules(metric);
    if (!rules || rules.side !== 'device') return undefined;
    if (rules.aggregation !== 'device-delta') return values.get(metric);

    const history = this.deviceHistory.get(report.thingName)?.get(metric) ?? [];
    const count = deviceDatapoint(
      'device-delta',
      history,
      report.time,
      behavior.criteria?.durationSeconds,
    );
    return count === undefined ? undefined : { count };
  }

  private recordDeviceHistory(report: StoredReport): void {
    let series = this.deviceHistory.get(report.thingName);
    for (const point of report.datapoints) {
      if (
        point.value.count === undefined ||
        this.metricRules(point.metric)?.aggregation !== 'device-delta'
      )
        continue;
      if (!series) {
        series = new Map();
        this.deviceHistory.set(report.thingName, series);
      }
      const next = appendSample(
        series.get(point.metric) ?? [],
        { time: report.time, value: point.value.count },
        { maxAgeMs: MAX_WINDOW_MS },
      );
      series.set(point.metric, next);
    }
  }

  /**
   * Advances one behavior's alarm with one datapoint and adds what changed to `write`. Statistical
   * and ML behaviors are skipped: this release stores them without evaluating them.
   */
  applyDatapoint(
    write: EvaluationWrite,
    input: {
      thingName: string;
      profile: SecurityProfile;
      behavior: Behavior;
      value: MetricValue;
      time: number;
    },
  ): void {
    const { thingName, profile, behavior, value, time } = input;
    const criteria = behavior.criteria;
    const rules = behavior.metric === undefined ? undefined : this.metricRules(behavior.metric);
    if (!criteria || !rules || !isEvaluable(criteria)) return;

    const key = alarmKey(thingName, profile.securityProfileName, behavior.name);
    const previous = this.state.alarms.get(key);
    const compliant = isCompliant(criteria, value, rules.valueKind);
    const result = step(
      previous?.state ?? INITIAL_ALARM_STATE,
      { compliant, value, time },
      alarmThresholds(criteria),
    );

    const record: AlarmRecord = {
      thingName,
      securityProfileName: profile.securityProfileName,
      behaviorName: behavior.name,
      state: result.state,
      lastDatapointAt: time,
    };
    if (previous?.violationId !== undefined && result.state.status === 'in-alarm')
      record.violationId = previous.violationId;

    if (result.event?.type === 'in-alarm') {
      const violation = this.openViolation(thingName, profile, behavior, value, time);
      record.violationId = violation.violationId;
      write.violations.push(violation);
      write.events.push(eventOf(violation, 'in-alarm', time, value));
    } else if (result.event?.type === 'alarm-cleared' && previous?.violationId !== undefined) {
      this.closeViolation(write, previous.violationId, 'alarm-cleared', time, value);
    } else if (result.state.status === 'in-alarm' && record.violationId !== undefined) {
      this.touchViolation(write, record.violationId, time, value);
    }

    if (changed(previous, record)) write.alarms.push(record);
    this.state.alarms.set(key, record);
  }

  /** Ends the alarm of one behavior, emitting alarm-invalidated when it was in alarm. */
  invalidateAlarm(
    write: EvaluationWrite,
    key: string,
    reason: InvalidationReason,
    time: number,
  ): void {
    const alarm = this.state.alarms.get(key);
    if (!alarm) return;
    const result = invalidate(alarm.state, reason, time);
    if (result.event && alarm.violationId !== undefined)
      this.closeViolation(write, alarm.violationId, 'alarm-invalidated', time, undefined);
    this.state.alarms.delete(key);
    write.deletedAlarms.push({
      thingName: alarm.thingName,
      securityProfileName: alarm.securityProfileName,
      behaviorName: alarm.behaviorName,
    });
  }

  private openViolation(
    thingName: string,
    profile: SecurityProfile,
    behavior: Behavior,
    value: MetricValue,
    time: number,
  ): Violation {
    const violation: Violation = {
      violationId: randomBytes(16).toString('hex'),
      thingName,
      securityProfileName: profile.securityProfileName,
      behavior,
      startTime: time,
      lastViolationTime: time,
      lastViolationValue: value,
      verificationState: 'UNKNOWN',
    };
    this.state.activeViolations.set(violation.violationId, violation);
    return violation;
  }

  private touchViolation(
    write: EvaluationWrite,
    violationId: string,
    time: number,
    value: MetricValue,
  ): void {
    const violation = this.state.activeViolations.get(violationId);
    if (!violation) return;
    const updated = { ...violation, lastViolationTime: time, lastViolationValue: value };
    this.state.activeViolations.set(violationId, updated);
    write.violations.push(updated);
  }

  private closeViolation(
    write: EvaluationWrite,
    violationId: string,
    type: 'alarm-cleared' | 'alarm-invalidated',
    time: number,
    value: MetricValue | undefined,
  ): void {
    const violation = this.state.activeViolations.get(violationId);
    if (!violation) return;
    this.state.activeViolations.delete(violationId);
    const closed: Violation = { ...violation, endedAt: time, endType: type };
    write.violations.push(closed);
    write.events.push(eventOf(closed, type, time, value));
  }

  /** Stores the write, then passes each event to the listeners. */
  async commit(write: EvaluationWrite): Promise<void> {
    if (
      write.alarms.length +
        write.deletedAlarms.length +
        write.violations.length +
        write.events.length ===
      0
    )
      return;
    await this.state.store.putEvaluation(write);
    for (const event of write.events) this.announce(event);
  }

  private announce(event: StoredViolationEvent): void {
    const profile = this.state.profiles.get(event.securityProfileName);
    this.logger.info(
      {
        violationId: event.violationId,
        thingName: event.thingName,
        securityProfileName: event.securityProfileName,
        behavior: event.behavior.name,
        type: event.type,
        metricValue: event.metricValue,
      },
      'violation event',
    );
    for (const listener of this.listeners) {
      try {
        listener(event, profile);
      } catch (error) {
        this.logger.error(
          { err: error, violationId: event.violationId },
          'violation listener failed',
        );
      }
    }
  }

  /** Invalidates alarms of things that sent no datapoint for two days; run periodically. */
  async sweepStale(): Promise<void> {
    const now = this.clock.now();
    const write = emptyWrite();
    for (const [key, alarm] of this.state.alarms) {
      if (isStale(alarm.state, alarm.lastDatapointAt, now))
        this.invalidateAlarm(write, key, 'no-datapoints', now);
    }
    await this.commit(write);
  }
}

export function emptyWrite(): EvaluationWrite {
  return { alarms: [], deletedAlarms: [], violations: [], events: [] };
}

function eventOf(
  violation: Violation,
  type: StoredViolationEvent['type'],
  time: number,
  value: MetricValue | undefined,
): StoredViolationEvent {
  const event: StoredViolationEvent = {
    violationId: violation.violationId,
    thingName: violation.thingName,
    securityProfileName: violation.securityProfileName,
    behavior: violation.behavior,
    type,
    time,
  };
  if (value !== undefined) event.metricValue = value;
  return event;
}

/** Whether the alarm position differs from the stored one, so it must be written. */
function changed(previous: AlarmRecord | undefined, next: AlarmRecord): boolean {
  const after = next.state;
  if (!previous) return !(after.status === 'normal' && after.badStreak === 0);
  const before = previous.state;
  if (previous.violationId !== next.violationId || before.status !== after.status) return true;
  if (before.status === 'normal' && after.status === 'normal')
    return before.badStreak !== after.badStreak;
  if (before.status === 'in-alarm' && after.status === 'in-alarm') {
    return (
      before.goodStreak !== after.goodStreak || before.lastViolationTime !== after.lastViolationTime
    );
  }
  return true;
}
