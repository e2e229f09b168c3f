import type { StoredFinding } from '../../audit/audit-records.ts';
import type { Clock } from '../../core/clock.ts';
import { invalidRequest, notFound, WardenError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { MitigationActions } from '../api/mitigation-actions.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { ExecutionStatus, MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import type { Mitigator } from '../mitigator.ts';
import { assertValidForCheck } from './allowed-actions.ts';
import { recordView, unrecordedView, type AuditExecutionView } from './audit-execution-views.ts';
import {
  initialStatistics,
  selectFindings,
  type AuditFindingSource,
  type SelectedFinding,
} from './audit-task-plan.ts';
import { RunningTasks, type TaskControl } from './running-tasks.ts';
import { TaskLifecycle } from './task-lifecycle.ts';
import { SerialLock } from './serial-lock.ts';
import { TaskRunner, type TaskUnit, type UnitStatus } from './task-runner.ts';
import { checkIdempotentStart, snapshotActions, stoppedStatus } from './task-start.ts';
import {
  AUDIT_PLAN_KIND,
  AUDIT_TASK_KIND,
  stableJson,
  type AuditMitigationPlan,
  type AuditMitigationTarget,
  type AuditMitigationTask,
  type AuditMitigationTaskStatus,
  type FindingStatistics,
} from './task-records.ts';

/** At most 10 audit mitigation tasks run at once, the AWS quota. */
export const MAX_RUNNING_AUDIT_MITIGATION_TASKS = 10;

export interface AuditMitigationTasksOptions {
  store: MitigationStore;
  audit: AuditFindingSource;
  actions: MitigationActions;
  mitigator: Mitigator;
  /** Finds the certificates, things, client IDs and so on that a finding's actions act on. */
  resolveTarget: (finding: StoredFinding) => MitigationTarget | Promise<MitigationTarget>;
  clock: Clock;
  logger: Logger;
  maxRunning?: number;
}

export interface StartAuditMitigationInput {
  taskId: string;
  target: AuditMitigationTarget;
  auditCheckToActionsMapping: Record<string, string[]>;
  clientRequestToken: string;
}

export interface AuditTaskQuery {
  startTime: number;
  endTime: number;
  auditTaskId?: string | undefined;
  findingId?: string | undefined;
  taskStatus?: AuditMitigationTaskStatus | undefined;
}

/**
 * Audit mitigation actions tasks: each applies the mapped actions to the findings of an audit or
 * to named findings, one execution per finding and action, and can be canceled between two
 * executions. Tasks and their finding lists are mitigation documents; executions are records.
 */
export class AuditMitigationTasks {
  private readonly running: RunningTasks;
  private readonly runner: TaskRunner;
  private readonly lifecycle: TaskLifecycle<AuditMitigationTaskStatus, AuditMitigationTask>;
  private readonly lock = new SerialLock();

  constructor(private readonly options: AuditMitigationTasksOptions) {
    this.running = new RunningTasks(options.maxRunning ?? MAX_RUNNING_AUDIT_MITIGATION_TASKS);
    this.lifecycle = new TaskLifecycle({
      ...options,
      kind: AUDIT_TASK_KIND,
      label: 'audit mitigation task',
      running: this.running,
    });
    this.runner = new TaskRunner({ ...options, notStartedStatus: 'CANCELED' });
  }

  /**
   * Starts a task, or returns at once when the same request with the same token started it.
   * @throws WardenError TaskAlreadyExistsException for a task ID in use by another request,
   *   LimitExceededException when 10 tasks run, InvalidRequestException for a bad request.
   */
  async start(input: StartAuditMitigationInput): Promise<AuditMitigationTask> {
    return this.lock.run(async () => {
      const requestKey = stableJson([input.target, input.auditCheckToActionsMapping]);
      const existing = (await this.options.store.getDocument(AUDIT_TASK_KIND, input.taskId)) as
        AuditMitigationTask | undefined;
      if (existing) {
        checkIdempotentStart('Audit', existing, input.clientRequestToken, requestKey);
        return existing;
      }
      if (this.running.isFull()) {
        throw new WardenError(
          'LimitExceededException',
          `${this.running.maxRunning} audit mitigation tasks are already in progress, the maximum; wait for one to finish or cancel one`,
        );
      }

      const actions = await this.mappedActions(input.auditCheckToActionsMapping);
      const selected = await selectFindings(
        this.options.audit,
        input.target,
        input.auditCheckToActionsMapping,
      );
      const task: AuditMitigationTask = {
        taskId: input.taskId,
        clientRequestToken: input.clientRequestToken,
        requestKey,
        taskStatus: 'IN_PROGRESS',
        startTime: this.options.clock.now(),
        target: input.target,
        auditCheckToActionsMapping: input.auditCheckToActionsMapping,
        actionsDefinition: [...actions.values()],
        taskStatistics: initialStatistics(input.auditCheckToActionsMapping, selected),
      };
      const plan: AuditMitigationPlan = {
        taskId: task.taskId,
        findings: selected.map((item) => item.planned),
      };
      await this.options.store.putDocument({ kind: AUDIT_PLAN_KIND, key: task.taskId, data: plan });
      await this.options.store.putDocument({ kind: AUDIT_TASK_KIND, key: task.taskId, data: task });
      this.running.launch(task.taskId, (control) => this.run(task, selected, actions, control));
      this.options.logger.info(
        { taskId: task.taskId, findings: selected.length },
        'audit mitigation task started',
      );
      return task;
    });
  }

  /** @throws WardenError ResourceNotFoundException for an unknown task. */
  async describe(taskId: string): Promise<AuditMitigationTask> {
    const task = await this.options.store.getDocument(AUDIT_TASK_KIND, taskId);
    if (!task) throw notFound(`Audit mitigation task "${taskId}" does not exist`);
    return task as AuditMitigationTask;
  }

  /** Tasks that started in [startTime, endTime), newest first, with the optional filters. */
  async list(query: AuditTaskQuery): Promise<AuditMitigationTask[]> {
    const tasks = (await this.options.store.listDocuments(
      AUDIT_TASK_KIND,
    )) as AuditMitigationTask[];
    const selected: AuditMitigationTask[] = [];
    for (const task of tasks) {
      if (task.startTime < query.startTime || task.startTime >= query.endTime) continue;
      if (query.taskStatus !== undefined && task.taskStatus !== query.taskStatus) continue;
      if (!(await this.coversFilters(task, query))) continue;
      selected.push(task);
    }
    return selected.sort((a, b) => b.startTime - a.startTime || a.taskId.localeCompare(b.taskId));
  }

  /**
   * Lists the executions of one finding in one task, in the mapping's action order. An execution
   * not recorded yet is PENDING, or IN_PROGRESS while it runs. Once the task has ended without
   * running it, for example after a restart, it is CANCELED.
   */
  async listExecutions(
    taskId: string,
    findingId: string,
    status?: ExecutionStatus,
  ): Promise<AuditExecutionView[]> {
    const task = (await this.options.store.getDocument(AUDIT_TASK_KIND, taskId)) as
      AuditMitigationTask | undefined;
    const plan = (await this.options.store.getDocument(AUDIT_PLAN_KIND, taskId)) as
      AuditMitigationPlan | undefined;
    const planned = plan?.findings.find((item) => item.findingId === findingId);
    if (!task || !planned) return [];

    const records = await this.options.store.listExecutions({ taskId, findingId });
    const control = this.running.control(taskId);
    const names = task.auditCheckToActionsMapping[planned.checkName] ?? [];
    const views = names.map((actionName) => {
      const record = records.filter((item) => item.actionName === actionName).at(-1);
      if (record) return recordView(taskId, findingId, record);
      return unrecordedView(task, findingId, actionName, control);
    });
    return status === undefined ? views : views.filter((view) => view.status === status);
  }

  /**
   * Cancels a running task. The flag is set synchronously on the call, so no execution starts
   * after it. The execution in flight finishes, the executions not started are recorded as
   * CANCELED, and nothing applied is rolled back. Await `finished` to see the task stop.
   * @throws WardenError ResourceNotFoundException for an unknown task, InvalidRequestException
   *   for a task that is no longer IN_PROGRESS.
   */
  async cancel(taskId: string): Promise<void> {
    await this.lifecycle.cancel(taskId, (id) => this.describe(id));
  }

  /**
   * Stops the running tasks between two executions, for a service shutdown. They end FAILED, and
   * their executions not started are recorded with the message that Warden stopped.
   */
  stop(): Promise<void> {
    return this.running.stopAll();
  }

  /** Resolves when the task has ended; for tests and the CLI. */
  finished(taskId: string): Promise<void> {
    return this.running.finished(taskId);
  }

  /** Marks tasks that a stop or crash left IN_PROGRESS as FAILED; returns how many. */
  recoverInterrupted(): Promise<number> {
    return this.lifecycle.recoverInterrupted();
  }

  private async mappedActions(
    mapping: Record<string, string[]>,
  ): Promise<Map<string, MitigationAction>> {
    if (Object.keys(mapping).length === 0)
      throw invalidRequest('auditCheckToActionsMapping must map at least one check');
    const actions = await snapshotActions(this.options.actions, Object.values(mapping).flat());
    for (const [checkName, names] of Object.entries(mapping)) {
      const duplicate = names.find((name, index) => names.indexOf(name) !== index);
      if (duplicate !== undefined)
        throw invalidRequest(
          `auditCheckToActionsMapping lists action "${duplicate}" twice for "${checkName}"`,
        );
      assertValidForCheck(
        checkName,
        names.map((name) => actions.get(name) as MitigationAction),
      );
    }
    return actions;
  }

  private async run(
    task: AuditMitigationTask,
    selected: SelectedFinding[],
    actions: Map<string, MitigationAction>,
    control: TaskControl,
  ): Promise<void> {
    let failed = false;
    try {
      for (const item of selected) {
        const unit = this.unitOf(task, item, actions);
        const outcome = await this.runner.runUnit(task.taskId, unit, control);
        const counts = task.taskStatistics[item.planned.checkName];
        if (counts) countFinding(counts, outcome.status);
        failed ||= outcome.status === 'FAILED';
        await this.options.store.putDocument({
          kind: AUDIT_TASK_KIND,
          key: task.taskId,
          data: task,
        });
      }
      await this.finish(task, stoppedStatus(control, failed, 'COMPLETED'));
    } catch (error) {
      this.options.logger.error(
        { err: error, taskId: task.taskId },
        'audit mitigation task failed',
      );
      await this.finish(task, 'FAILED').catch((cause: unknown) =>
        this.options.logger.error(
          { err: cause, taskId: task.taskId },
          'audit mitigation task not saved',
        ),
      );
    }
  }

  private unitOf(
    task: AuditMitigationTask,
    item: SelectedFinding,
    actions: Map<string, MitigationAction>,
  ): TaskUnit {
    const { finding, planned } = item;
    const names = task.auditCheckToActionsMapping[planned.checkName] ?? [];
    return {
      id: planned.findingId,
      noun: 'finding',
      source: { kind: 'audit-finding', findingId: finding.findingId, checkName: finding.checkName },
      actions: names.map((name) => actions.get(name) as MitigationAction),
      skipReason: planned.skipReason,
      resolveTarget: () => this.options.resolveTarget(finding),
      placeholder: placeholderTarget(finding),
    };
  }

  private finish(task: AuditMitigationTask, status: AuditMitigationTaskStatus): Promise<void> {
    return this.lifecycle.finish(task, status);
  }

  private async coversFilters(task: AuditMitigationTask, query: AuditTaskQuery): Promise<boolean> {
    if (query.auditTaskId === undefined && query.findingId === undefined) return true;
    const plan = (await this.options.store.getDocument(AUDIT_PLAN_KIND, task.taskId)) as
      AuditMitigationPlan | undefined;
    const findings = plan?.findings ?? [];
    if (
      query.auditTaskId !== undefined &&
      task.target.auditTaskId !== query.auditTaskId &&
      !findings.some((item) => item.auditTaskId === query.auditTaskId)
    )
      return false;
    return (
      query.findingId === undefined || findings.some((item) => item.findingId === query.findingId)
    );
  }
}

function countFinding(counts: FindingStatistics, status: UnitStatus): void {
  if (status === 'SUCCEEDED') counts.succeededFindingsCount += 1;
  else if (status === 'FAILED') counts.failedFindingsCount += 1;
  else if (status === 'SKIPPED') counts.skippedFindingsCount += 1;
  else counts.canceledFindingsCount += 1;
}

function placeholderTarget(finding: StoredFinding): MitigationTarget {
  return {
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject: {
      findingId: finding.findingId,
      taskId: finding.taskId,
      checkName: finding.checkName,
      reasonForNonComplianceCode: finding.reasonForNonComplianceCode,
    },
  };
}
