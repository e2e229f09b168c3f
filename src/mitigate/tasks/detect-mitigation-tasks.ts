import type { Clock } from '../../core/clock.ts';
import { invalidRequest, notFound, WardenError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Violation } from '../../detect/detect-records.ts';
import type { MitigationActions } from '../api/mitigation-actions.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { ExecutionRecord, MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import type { Mitigator } from '../mitigator.ts';
import { assertValidForViolations } from './allowed-actions.ts';
import {
  selectViolations,
  type SelectedViolation,
  type ViolationSource,
} from './detect-task-plan.ts';
import { RunningTasks, type TaskControl } from './running-tasks.ts';
import { TaskLifecycle } from './task-lifecycle.ts';
import { SerialLock } from './serial-lock.ts';
import { TaskRunner, type TaskUnit } from './task-runner.ts';
import { checkIdempotentStart, snapshotActions, stoppedStatus } from './task-start.ts';
import {
  DETECT_TASK_KIND,
  stableJson,
  type DetectMitigationTarget,
  type DetectMitigationTask,
  type DetectMitigationTaskStatus,
  type DetectTaskStatistics,
} from './task-records.ts';

/** At most 5 Detect mitigation tasks run at once, the AWS default quota. */
export const MAX_RUNNING_DETECT_MITIGATION_TASKS = 5;

export interface DetectMitigationTasksOptions {
  store: MitigationStore;
  detect: ViolationSource;
  actions: MitigationActions;
  mitigator: Mitigator;
  /** Finds the thing, certificates and client IDs that a violation's actions act on. */
  resolveTarget: (violation: Violation) => MitigationTarget | Promise<MitigationTarget>;
  clock: Clock;
  logger: Logger;
  maxRunning?: number;
}

export interface StartDetectMitigationInput {
  taskId: string;
  target: DetectMitigationTarget;
  actions: string[];
  /** Epoch milliseconds. */
  violationEventOccurrenceRange?: { startTime: number; endTime: number } | undefined;
  includeOnlyActiveViolations?: boolean | undefined;
  includeSuppressedAlerts?: boolean | undefined;
  clientRequestToken: string;
}

export interface DetectExecutionQuery {
  taskId?: string | undefined;
  violationId?: string | undefined;
  thingName?: string | undefined;
  startTime?: number | undefined;
  endTime?: number | undefined;
}

export type DetectExecutionStatus = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'SKIPPED';

/** One row of ListDetectMitigationActionsExecutions, times in epoch milliseconds. */
export interface DetectExecutionView {
  taskId?: string;
  violationId: string;
  actionName: string;
  thingName?: string;
  executionStartDate?: number;
  executionEndDate?: number;
  status: DetectExecutionStatus;
  errorCode?: string;
  message?: string;
}

/**
 * Detect mitigation actions tasks: each applies up to five actions to the things of selected
 * violations, one execution per violation and action, and can be canceled between two
 * executions. Executions a cancel keeps from starting are SKIPPED, the model's only status for
 * an execution that did not run.
 */
export class DetectMitigationTasks {
  private readonly running: RunningTasks;
  private readonly runner: TaskRunner;
  private readonly lifecycle: TaskLifecycle<DetectMitigationTaskStatus, DetectMitigationTask>;
  private readonly lock = new SerialLock();

  constructor(private readonly options: DetectMitigationTasksOptions) {
    this.running = new RunningTasks(options.maxRunning ?? MAX_RUNNING_DETECT_MITIGATION_TASKS);
    this.lifecycle = new TaskLifecycle({
      ...options,
      kind: DETECT_TASK_KIND,
      label: 'detect mitigation task',
      running: this.running,
    });
    this.runner = new TaskRunner({ ...options, notStartedStatus: 'SKIPPED' });
  }

  /**
   * Starts a task, or returns at once when the same request with the same token started it.
   * @throws WardenError TaskAlreadyExistsException for a task ID in use by another request,
   *   LimitExceededException when 5 tasks run, InvalidRequestException for a bad request.
   */
  async start(input: StartDetectMitigationInput): Promise<DetectMitigationTask> {
    return this.lock.run(async () => {
      const onlyActive = input.includeOnlyActiveViolations ?? false;
      const includeSuppressed = input.includeSuppressedAlerts ?? false;
      const range = input.violationEventOccurrenceRange;
      const requestKey = stableJson([
        input.target,
        input.actions,
        range,
        onlyActive,
        includeSuppressed,
      ]);
      const existing = (await this.options.store.getDocument(DETECT_TASK_KIND, input.taskId)) as
        DetectMitigationTask | undefined;
      if (existing) {
        checkIdempotentStart('Detect', existing, input.clientRequestToken, requestKey);
        return existing;
      }
      if (this.running.isFull()) {
        throw new WardenError(
          'LimitExceededException',
          `${this.running.maxRunning} detect mitigation tasks are already in progress, the maximum; wait for one to finish or cancel one`,
        );
      }

      if (range !== undefined && range.startTime > range.endTime) {
        throw invalidRequest(
          `Invalid violationEventOccurrenceRange: startTime "${iso(range.startTime)}" is after endTime "${iso(range.endTime)}"`,
        );
      }
      const actions = await this.listedActions(input.actions);
      const now = this.options.clock.now();
      const selected = await selectViolations(this.options.detect, {
        target: input.target,
        range,
        onlyActive,
        includeSuppressed,
        now,
      });

      const task: DetectMitigationTask = {
        taskId: input.taskId,
        clientRequestToken: input.clientRequestToken,
        requestKey,
        taskStatus: 'IN_PROGRESS',
        startTime: now,
        target: input.target,
        actions: input.actions,
        onlyActiveViolationsIncluded: onlyActive,
        suppressedAlertsIncluded: includeSuppressed,
        actionsDefinition: actions,
        taskStatistics: { actionsExecuted: 0, actionsSkipped: 0, actionsFailed: 0 },
      };
      if (range !== undefined) task.violationEventOccurrenceRange = range;
      await this.options.store.putDocument({
        kind: DETECT_TASK_KIND,
        key: task.taskId,
        data: task,
      });
      this.running.launch(task.taskId, (control) => this.run(task, selected, control));
      this.options.logger.info(
        { taskId: task.taskId, violations: selected.length },
        'detect mitigation task started',
      );
      return task;
    });
  }

  /** @throws WardenError ResourceNotFoundException for an unknown task. */
  async describe(taskId: string): Promise<DetectMitigationTask> {
    const task = await this.options.store.getDocument(DETECT_TASK_KIND, taskId);
    if (!task) throw notFound(`Detect mitigation task "${taskId}" does not exist`);
    return task as DetectMitigationTask;
  }

  /** Tasks that started in [startTime, endTime), newest first. */
  async list(startTime: number, endTime: number): Promise<DetectMitigationTask[]> {
    const tasks = (await this.options.store.listDocuments(
      DETECT_TASK_KIND,
    )) as DetectMitigationTask[];
    return tasks
      .filter((task) => task.startTime >= startTime && task.startTime < endTime)
      .sort((a, b) => b.startTime - a.startTime || a.taskId.localeCompare(b.taskId));
  }

  /**
   * Executions on violations, by task or by start time in [startTime, endTime), oldest first.
   * Executions not started yet are not listed, because the model has no PENDING status here.
   * @throws WardenError InvalidRequestException unless exactly one of taskId and the time pair
   *   is given.
   */
  async listExecutions(query: DetectExecutionQuery): Promise<DetectExecutionView[]> {
    const byTime = query.startTime !== undefined || query.endTime !== undefined;
    if ((query.taskId !== undefined) === byTime)
      throw invalidRequest('Give either taskId or startTime and endTime, not both and not neither');
    if (byTime && (query.startTime === undefined || query.endTime === undefined))
      throw invalidRequest('startTime and endTime must be given together');

    const records = await this.options.store.listExecutions(query);
    return records.flatMap((record) =>
      record.source.kind === 'violation' ? [executionView(record, record.source.violationId)] : [],
    );
  }

  /**
   * Cancels a running task. The flag is set synchronously on the call, so no execution starts
   * after it. The execution in flight finishes, the executions not started are recorded as
   * SKIPPED, and nothing applied is rolled back. Await `finished` to see the task stop.
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

  private async listedActions(names: string[]): Promise<MitigationAction[]> {
    if (names.length === 0)
      throw invalidRequest('actions must name at least one mitigation action');
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate !== undefined) throw invalidRequest(`actions lists "${duplicate}" twice`);
    const snapshot = await snapshotActions(this.options.actions, names);
    const actions = names.map((name) => snapshot.get(name) as MitigationAction);
    assertValidForViolations(actions);
    return actions;
  }

  private async run(
    task: DetectMitigationTask,
    selected: SelectedViolation[],
    control: TaskControl,
  ): Promise<void> {
    let failed = false;
    try {
      for (const item of selected) {
        const outcome = await this.runner.runUnit(task.taskId, this.unitOf(task, item), control);
        for (const record of outcome.executions) countExecution(task.taskStatistics, record);
        failed ||= outcome.status === 'FAILED';
        await this.options.store.putDocument({
          kind: DETECT_TASK_KIND,
          key: task.taskId,
          data: task,
        });
      }
      await this.finish(task, stoppedStatus(control, failed, 'SUCCESSFUL'));
    } catch (error) {
      this.options.logger.error(
        { err: error, taskId: task.taskId },
        'detect mitigation task failed',
      );
      await this.finish(task, 'FAILED').catch((cause: unknown) =>
        this.options.logger.error(
          { err: cause, taskId: task.taskId },
          'detect mitigation task not saved',
        ),
      );
    }
  }

  private unitOf(task: DetectMitigationTask, item: SelectedViolation): TaskUnit {
    const { violation } = item;
    return {
      id: violation.violationId,
      noun: 'violation',
      source: {
        kind: 'violation',
        violationId: violation.violationId,
        securityProfileName: violation.securityProfileName,
        behaviorName: violation.behavior.name,
      },
      actions: task.actionsDefinition,
      skipReason: item.skipReason,
      resolveTarget: () => this.options.resolveTarget(violation),
      placeholder: placeholderTarget(violation),
    };
  }

  private finish(task: DetectMitigationTask, status: DetectMitigationTaskStatus): Promise<void> {
    return this.lifecycle.finish(task, status);
  }
}

function countExecution(statistics: DetectTaskStatistics, record: ExecutionRecord): void {
  if (record.status === 'COMPLETED') statistics.actionsExecuted += 1;
  else if (record.status === 'FAILED') statistics.actionsFailed += 1;
  else statistics.actionsSkipped += 1;
}

function placeholderTarget(violation: Violation): MitigationTarget {
  return {
    certificateIds: [],
    caCertificateIds: [],
    thingNames: [violation.thingName],
    clientIds: [],
    policyNames: [],
    sourceIps: [],
    subject: {
      violationId: violation.violationId,
      thingName: violation.thingName,
      securityProfileName: violation.securityProfileName,
      behaviorName: violation.behavior.name,
    },
  };
}

const DETECT_STATUS: Record<ExecutionRecord['status'], DetectExecutionStatus> = {
  PENDING: 'IN_PROGRESS',
  IN_PROGRESS: 'IN_PROGRESS',
  COMPLETED: 'SUCCESSFUL',
  FAILED: 'FAILED',
  CANCELED: 'SKIPPED',
  SKIPPED: 'SKIPPED',
};

function executionView(record: ExecutionRecord, violationId: string): DetectExecutionView {
  const status = DETECT_STATUS[record.status];
  const view: DetectExecutionView = { violationId, actionName: record.actionName, status };
  if (record.taskId !== undefined) view.taskId = record.taskId;
  const thingName = thingOf(record.target);
  if (thingName !== undefined) view.thingName = thingName;
  if (status !== 'SKIPPED') {
    view.executionStartDate = record.startTime;
    if (record.endTime !== undefined) view.executionEndDate = record.endTime;
  }
  if (record.errorCode !== undefined) view.errorCode = record.errorCode;
  if (record.message !== undefined) view.message = record.message;
  return view;
}

/**
 * Returns the violating thing. The subject is the violation as the API shows it, which names the
 * thing, and a subject without a thing name falls back to the first target thing.
 */
function thingOf(target: MitigationTarget): string | undefined {
  const named = target.subject['thingName'];
  return typeof named === 'string' ? named : target.thingNames[0];
}

function iso(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
}
