import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { invalidRequest, notFound, WardenError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { AuditCheck } from './audit-check.ts';
import type { AuditConfigurations } from './audit-configuration.ts';
import {
  resourceKey,
  type AuditSuppression,
  type AuditTask,
  type AuditTaskType,
  type CheckDetails,
  type StoredFinding,
} from './audit-records.ts';
import type { AuditStore } from './audit-store.ts';
import type { CheckResult, NonCompliance } from './audit-types.ts';
import type { FleetSnapshot } from './fleet-snapshot.ts';

/** Builds the fleet snapshot an audit reads, with connection events from `window`. */
export type SnapshotSource = (window: { since: number; until: number }) => Promise<FleetSnapshot>;

/** Receives each task that reached COMPLETED, FAILED or CANCELED. */
export type TaskListener = (task: AuditTask) => void;

/** At most 10 on-demand audits run at once, as in AWS. */
export const MAX_RUNNING_ON_DEMAND = 10;

/** The windowed checks look back 31 days in an on-demand audit. */
export const ON_DEMAND_WINDOW_MS = 31 * 24 * 3600 * 1000;

export interface StartTaskInput {
  checkNames: string[];
  taskType: AuditTaskType;
  scheduledAuditName?: string;
  /** Start of the connection window; on-demand audits use 31 days before the start. */
  windowSince?: number;
}

/**
 * Runs audit tasks: each check in turn over one fleet snapshot, storing each check's findings and
 * status as it completes, so DescribeAuditTask shows progress. Suppressions in force at the
 * task's start mark matching findings `isSuppressed` and do not count against compliance.
 */
export class AuditTasks {
  private readonly running = new Map<string, { canceled: boolean; done: Promise<void> }>();
  private readonly listeners: TaskListener[] = [];

  constructor(
    private readonly store: AuditStore,
    private readonly configurations: AuditConfigurations,
    private readonly snapshot: SnapshotSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  onFinished(listener: TaskListener): void {
    this.listeners.push(listener);
  }

  async start(input: StartTaskInput): Promise<AuditTask> {
    if (input.checkNames.length === 0)
      throw invalidRequest('targetCheckNames must name at least one check');
    const disabled = await this.configurations.disabledAmong(input.checkNames);
    if (disabled.length > 0)
      throw invalidRequest(
        `Checks ${disabled.join(', ')} are not enabled in the account audit configuration; enable them with UpdateAccountAuditConfiguration`,
      );
    const onDemand = [...this.running.keys()].length;
    if (input.taskType === 'ON_DEMAND_AUDIT_TASK' && onDemand >= MAX_RUNNING_ON_DEMAND) {
      throw new WardenError(
        'LimitExceededException',
        `${MAX_RUNNING_ON_DEMAND} audits are already in progress, the maximum; wait for one to finish`,
      );
    }

    const startTime = this.clock.now();
    const task: AuditTask = {
      taskId: randomBytes(16).toString('hex'),
      taskType: input.taskType,
      taskStatus: 'IN_PROGRESS',
      startTime,
      checks: Object.fromEntries(
        [...new Set(input.checkNames)].map((name) => [
          name,
          { checkRunStatus: 'IN_PROGRESS' } satisfies CheckDetails,
        ]),
      ),
    };
    if (input.scheduledAuditName !== undefined) task.scheduledAuditName = input.scheduledAuditName;
    await this.store.putTask(task);

    const window = {
      since: input.windowSince ?? startTime - ON_DEMAND_WINDOW_MS,
      until: startTime,
    };
    const entry = { canceled: false, done: Promise.resolve() };
    entry.done = this.run(task, window, entry).finally(() => this.running.delete(task.taskId));
    this.running.set(task.taskId, entry);
    return task;
  }

  /** Resolves when the task has finished; for tests and the CLI. */
  async finished(taskId: string): Promise<void> {
    await this.running.get(taskId)?.done;
  }

  async cancel(taskId: string): Promise<void> {
    const task = await this.store.getTask(taskId);
    if (!task) throw notFound(`Audit task "${taskId}" does not exist`);
    const entry = this.running.get(taskId);
    if (task.taskStatus !== 'IN_PROGRESS' || !entry)
      throw invalidRequest(`Cannot cancel audit task "${taskId}": it is ${task.taskStatus}`);
    entry.canceled = true;
    await entry.done;
  }

  private async run(
    task: AuditTask,
    window: { since: number; until: number },
    entry: { canceled: boolean },
  ): Promise<void> {
    try {
      const configuration = await this.configurations.describe();
      const fleet = await this.snapshot(window);
      const suppressions = activeSuppressions(await this.store.listSuppressions(), task.startTime);
      for (const name of Object.keys(task.checks)) {
        if (entry.canceled) break;
        const check = this.configurations.check(name);
        const outcome = await this.runCheck(check, {
          fleet,
          now: task.startTime,
          configuration: configuration.checks[name]?.configuration ?? {},
        });
        const findings = outcome.result
          ? this.toFindings(task, check, outcome.result.nonCompliant, suppressions)
          : [];
        task.checks[name] = outcome.result
          ? details(outcome.result, findings)
          : {
              checkRunStatus: 'FAILED',
              errorCode: 'CHECK_FAILED',
              message: outcome.error ?? 'The check failed',
            };
        await this.store.putFindings(task, findings);
      }
      this.finish(task, entry.canceled ? 'CANCELED' : 'COMPLETED');
    } catch (error) {
      this.logger.error({ err: error, taskId: task.taskId }, 'audit task failed');
      this.finish(task, 'FAILED');
    }
    await this.store.putTask(task);
    this.logger.info(
      { taskId: task.taskId, taskStatus: task.taskStatus, checks: Object.keys(task.checks).length },
      'audit finished',
    );
    for (const listener of this.listeners) listener(task);
  }

  private async runCheck(
    check: AuditCheck,
    input: Parameters<AuditCheck['run']>[0],
  ): Promise<{ result?: CheckResult; error?: string }> {
    try {
      return { result: await check.run(input) };
    } catch (error) {
      this.logger.error({ err: error, checkName: check.name }, 'audit check failed');
      return { error: `The check failed: ${(error as Error).message}` };
    }
  }

  private toFindings(
    task: AuditTask,
    check: AuditCheck,
    nonCompliant: NonCompliance[],
    suppressions: Set<string>,
  ): StoredFinding[] {
    const now = this.clock.now();
    return nonCompliant.map((item) => ({
      findingId: randomUUID(),
      taskId: task.taskId,
      checkName: check.name,
      taskStartTime: task.startTime,
      findingTime: now,
      severity: check.severity,
      nonCompliantResource: item.resource,
      relatedResources: item.relatedResources,
      reasonForNonCompliance: item.reasonForNonCompliance,
      reasonForNonComplianceCode: item.reasonForNonComplianceCode,
      isSuppressed: suppressions.has(
        `${check.name}\u0000${resourceKey(item.resource.resourceIdentifier)}`,
      ),
    }));
  }

  private finish(task: AuditTask, status: AuditTask['taskStatus']): void {
    task.taskStatus = status;
    task.endTime = this.clock.now();
    for (const details of Object.values(task.checks)) {
      if (details.checkRunStatus === 'IN_PROGRESS')
        details.checkRunStatus = status === 'FAILED' ? 'FAILED' : 'CANCELED';
    }
  }
}

/** Suppressions that apply at `time`, as `checkName NUL resourceKey`. */
function activeSuppressions(suppressions: AuditSuppression[], time: number): Set<string> {
  const active = suppressions.filter(
    (item) =>
      item.suppressIndefinitely === true ||
      (item.expirationDate !== undefined && item.expirationDate > time),
  );
  return new Set(
    active.map((item) => `${item.checkName}\u0000${resourceKey(item.resourceIdentifier)}`),
  );
}

/** Per-check details; a check is compliant when every non-compliant resource is suppressed. */
function details(result: CheckResult, findings: StoredFinding[]): CheckDetails {
  if (result.waitingForDataCollection)
    return {
      checkRunStatus: 'WAITING_FOR_DATA_COLLECTION',
      totalResourcesCount: result.totalResourcesCount,
    };
  // A resource that breaks several rules has one finding per reason code but counts once.
  const resources = new Set(
    findings.map((finding) => resourceKey(finding.nonCompliantResource.resourceIdentifier)),
  );
  const suppressedResources = new Set(
    findings
      .filter((finding) => finding.isSuppressed)
      .map((finding) => resourceKey(finding.nonCompliantResource.resourceIdentifier)),
  );
  const compliant = [...resources].every((key) => suppressedResources.has(key));
  return {
    checkRunStatus: compliant ? 'COMPLETED_COMPLIANT' : 'COMPLETED_NON_COMPLIANT',
    checkCompliant: compliant,
    totalResourcesCount: result.totalResourcesCount,
    nonCompliantResourcesCount: resources.size,
    suppressedNonCompliantResourcesCount: suppressedResources.size,
  };
}
