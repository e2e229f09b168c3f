import type { AuditTask, StoredFinding } from '../../audit/audit-records.ts';
import type { AuditStore } from '../../audit/audit-store.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/logger.ts';
import type { StoredViolationEvent } from '../../detect/detect-records.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import type { Mitigator } from '../mitigator.ts';
import { runActionSequence } from './action-sequence.ts';
import { AutoResponseEvents } from './auto-response-events.ts';
import {
  isFindingTrigger,
  matchesFinding,
  matchesViolation,
  type AutoResponseRule,
} from './auto-response-rule.ts';
import type { AutoResponseRules } from './auto-response-rules.ts';
import { findingSubject } from './finding-subject.ts';
import { ALERT_BATCH_MS, guardAlertMessage } from './guard-alert.ts';
import { HourlyGuard, type GuardDecision, type GuardTrip } from './hourly-guard.ts';
import { OccurrenceClaims, type Occurrence } from './occurrences.ts';

/** Finds what a violation or a finding lets an action act on. */
export interface TargetResolvers {
  violation(event: StoredViolationEvent): MitigationTarget | Promise<MitigationTarget>;
  finding(finding: StoredFinding): MitigationTarget | Promise<MitigationTarget>;
}

/** Destination of the guard alerts: the service's AlertDispatcher. */
export interface GuardAlertSender {
  sendToArn(arn: string, message: object, context: string): boolean;
}

export interface AutoResponderOptions {
  store: MitigationStore;
  rules: AutoResponseRules;
  mitigator: Mitigator;
  targets: TargetResolvers;
  findings: Pick<AuditStore, 'listFindings'>;
  alerts: GuardAlertSender;
  clock: Clock;
  logger: Logger;
}

/**
 * Runs the actions of matching auto-response rules on `in-alarm` events and on the unsuppressed
 * findings of completed audit tasks. Work runs one item at a time in arrival order, so the guard
 * and the handled-pair records never race. A pair (rule, violation id) or (rule, finding id) is
 * recorded before anything runs, and a recorded pair is never acted on again, even after a
 * restart and even when the guard skipped it.
 */
export class AutoResponder {
  readonly guard: HourlyGuard;
  readonly events: AutoResponseEvents;
  private readonly claims: OccurrenceClaims;
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private readonly pendingAlerts = new Set<string>();
  private recoveredAlerts = false;

  constructor(private readonly options: AutoResponderOptions) {
    this.guard = new HourlyGuard(options.store);
    this.events = new AutoResponseEvents(options.store);
    this.claims = new OccurrenceClaims(options.store);
  }

  /** Queues the response to a violation event. Events other than `in-alarm` are ignored. */
  handleViolationEvent(event: StoredViolationEvent): void {
    if (event.type !== 'in-alarm') return;
    this.enqueue({ violationId: event.violationId }, () => this.respondToViolation(event));
  }

  /** Queues the response to a finished audit task. Only COMPLETED tasks are acted on. */
  handleAuditTask(task: AuditTask): void {
    if (task.taskStatus !== 'COMPLETED') return;
    this.enqueue({ taskId: task.taskId }, () => this.respondToAudit(task.taskId));
  }

  /** Resolves when all queued work and its alerts are done, for shutdown and tests. */
  async drain(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.tail;
      await seen;
    } while (seen !== this.tail);
  }

  /** Deletes handled-pair records and events older than `before` and returns how many. */
  async prune(before: number): Promise<number> {
    return (await this.claims.prune(before)) + (await this.events.prune(before));
  }

  private enqueue(context: Record<string, string>, work: () => Promise<void>): void {
    this.queued += 1;
    this.tail = this.tail.then(async () => {
      try {
        await work();
      } catch (error) {
        this.options.logger.error({ err: error, ...context }, 'auto-response failed');
      }
      this.queued -= 1;
      try {
        await this.flushAlerts(this.queued === 0);
      } catch (error) {
        this.options.logger.error({ err: error }, 'auto-response guard alert failed');
      }
    });
  }

  private async respondToViolation(event: StoredViolationEvent): Promise<void> {
    const rules = (await this.options.rules.list()).filter((rule) => matchesViolation(rule, event));
    const occurrence: Occurrence = {
      source: {
        kind: 'violation',
        violationId: event.violationId,
        securityProfileName: event.securityProfileName,
        behaviorName: event.behavior.name,
      },
      sourceId: event.violationId,
      subject: { key: `thing:${event.thingName}`, label: event.thingName },
      target: () => this.options.targets.violation(event),
    };
    for (const rule of rules) await this.respond(rule, occurrence);
  }

  private async respondToAudit(taskId: string): Promise<void> {
    const rules = (await this.options.rules.list()).filter(
      (rule) => rule.enabled && isFindingTrigger(rule.trigger),
    );
    if (rules.length === 0) return;
    const findings = await this.options.findings.listFindings({ taskId, suppressed: false });
    const ordered = findings
      .map((finding) => ({ finding, subject: findingSubject(finding) }))
      .sort((a, b) => a.subject.label.localeCompare(b.subject.label));

    for (const rule of rules) {
      for (const { finding, subject } of ordered) {
        if (!matchesFinding(rule, finding)) continue;
        await this.respond(rule, {
          source: {
            kind: 'audit-finding',
            findingId: finding.findingId,
            checkName: finding.checkName,
          },
          sourceId: finding.findingId,
          subject,
          target: () => this.options.targets.finding(finding),
        });
      }
    }
  }

  private async respond(rule: AutoResponseRule, occurrence: Occurrence): Promise<void> {
    const now = this.options.clock.now();
    if (!(await this.claims.claim(rule.ruleName, occurrence, now))) {
      this.options.logger.debug(
        { ruleName: rule.ruleName, sourceId: occurrence.sourceId },
        'auto-response already handled this occurrence',
      );
      return;
    }
    const decision = await this.guard.admit(
      rule.ruleName,
      occurrence.subject,
      rule.maxThingsPerHour,
      now,
    );
    if (decision.outcome === 'skipped') return this.skip(rule, occurrence, decision);
    if (decision.cleared !== undefined) await this.recordCleared(rule, decision.cleared, now);
    await this.act(rule, occurrence);
  }

  private async act(rule: AutoResponseRule, occurrence: Occurrence): Promise<void> {
    const actions = await this.actionsOf(rule, occurrence);
    if (actions === undefined) return;
    let target: MitigationTarget;
    try {
      target = await occurrence.target();
    } catch (error) {
      await this.fail(rule, occurrence, `Cannot resolve the target: ${(error as Error).message}`);
      return;
    }

    const { mitigator, store, clock } = this.options;
    const result = await runActionSequence({
      rule,
      occurrence,
      actions,
      target,
      mitigator,
      store,
      clock,
    });
    if (result.thrown !== undefined) {
      const { actionName, error } = result.thrown;
      const reason = `Mitigation action "${actionName}" failed: ${(error as Error).message}`;
      await this.fail(rule, occurrence, reason, error);
    }
    this.options.logger.info(
      {
        ruleName: rule.ruleName,
        source: occurrence.source,
        dryRun: rule.dryRun,
        executions: result.executions.map((execution) => ({
          executionId: execution.executionId,
          actionName: execution.actionName,
          status: execution.status,
        })),
      },
      'auto-response acted',
    );
  }

  private async actionsOf(
    rule: AutoResponseRule,
    occurrence: Occurrence,
  ): Promise<MitigationAction[] | undefined> {
    const byName = new Map(
      (await this.options.store.listActions()).map((action) => [action.actionName, action]),
    );
    const missing = rule.actions.find((name) => !byName.has(name));
    if (missing === undefined)
      return rule.actions.map((name) => byName.get(name) as MitigationAction);
    await this.fail(rule, occurrence, `Mitigation action "${missing}" no longer exists`);
    return undefined;
  }

  private async skip(
    rule: AutoResponseRule,
    occurrence: Occurrence,
    decision: Extract<GuardDecision, { outcome: 'skipped' }>,
  ): Promise<void> {
    const { logger } = this.options;
    const context = { ruleName: rule.ruleName, skipped: occurrence.subject.label };
    if (!decision.firstSkip) {
      logger.debug(
        { ...context, skippedCount: decision.trip.skippedCount },
        'auto-response skipped',
      );
      return;
    }
    logger.warn(
      { ...context, maxThingsPerHour: rule.maxThingsPerHour, source: occurrence.source },
      'auto-response guard tripped; the rule acts again when its hourly window has room',
    );
    await this.events.record({
      ruleName: rule.ruleName,
      type: 'guard-tripped',
      time: decision.trip.trippedAt,
      message: `Rule "${rule.ruleName}" acted on ${rule.maxThingsPerHour} distinct things in the last hour, its limit, and skipped "${occurrence.subject.label}"`,
      details: {
        maxThingsPerHour: rule.maxThingsPerHour,
        thingsActedOn: decision.acted.map((entry) => entry.label),
        skipped: occurrence.subject.label,
        source: occurrence.source,
      },
    });
    this.pendingAlerts.add(rule.ruleName);
  }

  private async recordCleared(rule: AutoResponseRule, trip: GuardTrip, now: number): Promise<void> {
    this.options.logger.info(
      { ruleName: rule.ruleName, skippedCount: trip.skippedCount },
      'auto-response guard cleared',
    );
    await this.events.record({
      ruleName: rule.ruleName,
      type: 'guard-cleared',
      time: now,
      message: `Rule "${rule.ruleName}" acts again after skipping ${trip.skippedCount} occurrences`,
      details: {
        trippedAt: trip.trippedAt,
        skippedCount: trip.skippedCount,
        skippedThings: trip.skipped.map((entry) => entry.label),
      },
    });
  }

  private async fail(
    rule: AutoResponseRule,
    occurrence: Occurrence,
    message: string,
    error?: unknown,
  ): Promise<void> {
    this.options.logger.error(
      { err: error, ruleName: rule.ruleName, source: occurrence.source, reason: message },
      'auto-response could not act',
    );
    await this.events.record({
      ruleName: rule.ruleName,
      type: 'response-failed',
      time: this.options.clock.now(),
      message,
      details: { source: occurrence.source, subject: occurrence.subject.label },
    });
  }

  /**
   * Sends the one alert of each trip that has none yet. With events still queued, an alert
   * waits up to ALERT_BATCH_MS so it can list the skips of the same burst. Trips left unalerted
   * by a stop are found in the store at the first flush.
   */
  private async flushAlerts(queueEmpty: boolean): Promise<void> {
    if (!this.recoveredAlerts) {
      for (const ruleName of await this.guard.unalerted()) this.pendingAlerts.add(ruleName);
      this.recoveredAlerts = true;
    }
    const now = this.options.clock.now();
    for (const ruleName of [...this.pendingAlerts]) {
      const state = await this.guard.view(ruleName, now);
      const trip = state.trip;
      if (trip !== undefined && !trip.alerted) {
        if (!queueEmpty && now - trip.trippedAt < ALERT_BATCH_MS) continue;
        const rule = await this.options.rules.get(ruleName);
        if (rule?.alertTargetArn !== undefined)
          this.options.alerts.sendToArn(
            rule.alertTargetArn,
            guardAlertMessage(rule, state, trip),
            `auto-response ${ruleName}`,
          );
        await this.guard.markAlerted(ruleName);
      }
      this.pendingAlerts.delete(ruleName);
    }
  }
}
