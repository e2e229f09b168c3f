import type { Clock } from '../core/clock.ts';
import { alreadyExists, invalidRequest, notFound, WardenError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { AuditConfigurations } from './audit-configuration.ts';
import type { ScheduledAudit } from './audit-records.ts';
import type { AuditStore } from './audit-store.ts';
import type { AuditTasks } from './audit-tasks.ts';
import { nextRun, scheduleProblem, type ScheduleRule } from './schedule.ts';

/** AWS allows five scheduled audits per account. */
export const MAX_SCHEDULED_AUDITS = 5;

/**
 * Scheduled audits and the timer that starts them. A run's connection window begins where the
 * previous run of the same schedule began, or 31 days back for the first run.
 */
export class ScheduledAudits {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: AuditStore,
    private readonly configurations: AuditConfigurations,
    private readonly tasks: AuditTasks,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async create(
    name: string,
    rule: ScheduleRule,
    targetCheckNames: string[],
  ): Promise<ScheduledAudit> {
    const all = await this.store.listScheduledAudits();
    if (all.some((audit) => audit.scheduledAuditName === name))
      throw alreadyExists(`Scheduled audit "${name}" already exists`, name);
    if (all.length >= MAX_SCHEDULED_AUDITS)
      throw new WardenError(
        'LimitExceededException',
        `There are already ${MAX_SCHEDULED_AUDITS} scheduled audits, the maximum`,
      );
    await this.checkRule(rule, targetCheckNames);
    const now = this.clock.now();
    const audit: ScheduledAudit = {
      scheduledAuditName: name,
      ...defined(rule),
      targetCheckNames,
      createdAt: now,
      nextRunAt: nextRun(rule, now, now),
    };
    await this.store.putScheduledAudit(audit);
    return audit;
  }

  async update(
    name: string,
    rule: Partial<ScheduleRule>,
    targetCheckNames: string[] | undefined,
  ): Promise<ScheduledAudit> {
    const audit = await this.require(name);
    const merged: ScheduleRule = {
      frequency: rule.frequency ?? audit.frequency,
      dayOfWeek: rule.dayOfWeek ?? audit.dayOfWeek,
      dayOfMonth: rule.dayOfMonth ?? audit.dayOfMonth,
    };
    const checks = targetCheckNames ?? audit.targetCheckNames;
    await this.checkRule(merged, checks);
    const { dayOfWeek: _oldWeekDay, dayOfMonth: _oldMonthDay, ...kept } = audit;
    const next: ScheduledAudit = {
      ...kept,
      ...defined(merged),
      targetCheckNames: checks,
      nextRunAt: nextRun(merged, this.clock.now(), audit.createdAt),
    };
    await this.store.putScheduledAudit(next);
    return next;
  }

  async require(name: string): Promise<ScheduledAudit> {
    const audit = (await this.store.listScheduledAudits()).find(
      (item) => item.scheduledAuditName === name,
    );
    if (!audit) throw notFound(`Scheduled audit "${name}" does not exist`);
    return audit;
  }

  async delete(name: string): Promise<void> {
    await this.require(name);
    await this.store.deleteScheduledAudit(name);
  }

  async deleteAll(): Promise<void> {
    for (const audit of await this.store.listScheduledAudits())
      await this.store.deleteScheduledAudit(audit.scheduledAuditName);
  }

  list(): Promise<ScheduledAudit[]> {
    return this.store.listScheduledAudits();
  }

  start(intervalMs = 60_000): void {
    this.timer = setInterval(() => {
      this.runDue().catch((error: unknown) =>
        this.logger.error({ err: error }, 'starting scheduled audits failed'),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Starts every scheduled audit whose next run time has passed; returns the task ids. */
  async runDue(): Promise<string[]> {
    const now = this.clock.now();
    const started: string[] = [];
    for (const audit of await this.store.listScheduledAudits()) {
      if (audit.nextRunAt > now) continue;
      const windowSince = audit.lastRunAt ?? now - 31 * 24 * 3600 * 1000;
      await this.store.putScheduledAudit({
        ...audit,
        lastRunAt: now,
        nextRunAt: nextRun(audit, now, audit.createdAt),
      });
      try {
        const task = await this.tasks.start({
          checkNames: audit.targetCheckNames,
          taskType: 'SCHEDULED_AUDIT_TASK',
          scheduledAuditName: audit.scheduledAuditName,
          windowSince,
        });
        started.push(task.taskId);
      } catch (error) {
        this.logger.error(
          { err: error, scheduledAuditName: audit.scheduledAuditName },
          'scheduled audit could not start',
        );
      }
    }
    return started;
  }

  private async checkRule(rule: ScheduleRule, checks: string[]): Promise<void> {
    const problem = scheduleProblem(rule);
    if (problem) throw invalidRequest(problem);
    if (checks.length === 0) throw invalidRequest('targetCheckNames must name at least one check');
    const disabled = await this.configurations.disabledAmong(checks);
    if (disabled.length > 0)
      throw invalidRequest(
        `Checks ${disabled.join(', ')} are not enabled in the account audit configuration`,
      );
  }
}

/**
 * Keeps only the day that the frequency uses, so a schedule moved from WEEKLY to MONTHLY does not
 * describe a stale dayOfWeek, nor take it back on a later move to BIWEEKLY.
 * NOTE: AWS does not document whether it keeps or rejects a day the frequency does not use.
 */
function defined(
  rule: ScheduleRule,
): Pick<ScheduledAudit, 'frequency' | 'dayOfWeek' | 'dayOfMonth'> {
  const result: Pick<ScheduledAudit, 'frequency' | 'dayOfWeek' | 'dayOfMonth'> = {
    frequency: rule.frequency,
  };
  const weekly = rule.frequency === 'WEEKLY' || rule.frequency === 'BIWEEKLY';
  if (weekly && rule.dayOfWeek !== undefined) result.dayOfWeek = rule.dayOfWeek;
  if (rule.frequency === 'MONTHLY' && rule.dayOfMonth !== undefined)
    result.dayOfMonth = rule.dayOfMonth;
  return result;
}
