import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { AlertDispatcher } from '../detect/alerts.ts';
import type { Route } from '../api/route.ts';
import { auditAdminRoutes } from './api/audit-admin-api.ts';
import { auditRoutes } from './api/audit-api.ts';
import type { AuditCheck } from './audit-check.ts';
import { AuditConfigurations } from './audit-configuration.ts';
import type { AuditTask } from './audit-records.ts';
import type { AuditStore } from './audit-store.ts';
import { AuditTasks, type SnapshotSource } from './audit-tasks.ts';
import { ScheduledAudits } from './scheduled-audits.ts';
import { Suppressions } from './suppressions.ts';

export interface AuditServiceOptions {
  store: AuditStore;
  checks: readonly AuditCheck[];
  snapshot: SnapshotSource;
  alerts: AlertDispatcher;
  clock: Clock;
  logger: Logger;
  accountId: string;
  region: string;
}

/** Warden's audit: configuration, on-demand and scheduled tasks, findings and suppressions. */
export class AuditService {
  readonly configurations: AuditConfigurations;
  readonly tasks: AuditTasks;
  readonly schedules: ScheduledAudits;
  readonly suppressions: Suppressions;

  constructor(private readonly options: AuditServiceOptions) {
    const { store, clock, logger } = options;
    this.configurations = new AuditConfigurations(
      store,
      options.checks,
      async () =>
        new Set((await store.listScheduledAudits()).flatMap((audit) => audit.targetCheckNames)),
    );
    this.tasks = new AuditTasks(store, this.configurations, options.snapshot, clock, logger);
    this.schedules = new ScheduledAudits(store, this.configurations, this.tasks, clock, logger);
    this.suppressions = new Suppressions(store, this.configurations, clock);
    this.tasks.onFinished((task) => void this.notify(task));
  }

  routes(): Route[] {
    const arnOf = (name: string) =>
      `arn:aws:iot:${this.options.region}:${this.options.accountId}:scheduledaudit/${name}`;
    return [
      ...auditRoutes({
        store: this.options.store,
        configurations: this.configurations,
        tasks: this.tasks,
        scheduledCount: async () => (await this.schedules.list()).length,
        deleteScheduled: () => this.schedules.deleteAll(),
      }),
      ...auditAdminRoutes(this.suppressions, this.schedules, arnOf),
    ];
  }

  start(): void {
    this.schedules.start();
  }

  stop(): void {
    this.schedules.stop();
  }

  /** Sends the audit notification of a finished task to the configured SNS target's alert target. */
  private async notify(task: AuditTask): Promise<void> {
    const configuration = await this.configurations.describe();
    const target = configuration.notificationTargets['SNS'];
    if (!target?.enabled || target.targetArn === undefined) return;
    this.options.alerts.sendToArn(
      target.targetArn,
      auditNotification(task, this.options.accountId),
      `audit ${task.taskId}`,
    );
  }
}

/** The audit notification message: the documented fields, times in epoch milliseconds. */
export function auditNotification(task: AuditTask, accountId: string) {
  const details = Object.entries(task.checks);
  const count = (status: string) =>
    details.filter(([, check]) => check.checkRunStatus === status).length;
  return {
    accountId,
    taskId: task.taskId,
    taskStatus: task.taskStatus,
    taskType: task.taskType,
    scheduledAuditName: task.scheduledAuditName,
    failedChecksCount: count('FAILED'),
    canceledChecksCount: count('CANCELED'),
    nonCompliantChecksCount: count('COMPLETED_NON_COMPLIANT'),
    compliantChecksCount: count('COMPLETED_COMPLIANT'),
    totalChecksCount: details.length,
    taskStartTime: task.startTime,
    auditDetails: details.map(([checkName, check]) => ({
      checkName,
      checkRunStatus: check.checkRunStatus,
      nonCompliantResourcesCount: check.nonCompliantResourcesCount ?? 0,
      suppressedNonCompliantResourcesCount: check.suppressedNonCompliantResourcesCount ?? 0,
      totalResourcesCount: check.totalResourcesCount ?? 0,
      message: check.message,
      errorCode: check.errorCode,
    })),
  };
}
