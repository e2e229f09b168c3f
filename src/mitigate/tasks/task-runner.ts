import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { WardenError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type {
  ExecutionRecord,
  ExecutionSource,
  ExecutionStatus,
  MitigationAction,
  MitigationTarget,
} from '../mitigation-types.ts';
import type { Mitigator } from '../mitigator.ts';
import type { TaskControl } from './running-tasks.ts';

/** The model caps an execution's error message at 2,048 characters. */
const MAX_MESSAGE_LENGTH = 2048;

/** One finding or violation of a task and the actions to apply to it, in order. */
export interface TaskUnit {
  /** The finding ID or violation ID. */
  id: string;
  /** `finding` or `violation`, for messages. */
  noun: string;
  source: ExecutionSource;
  actions: MitigationAction[];
  /** Reason the unit is not acted on, which records its executions as SKIPPED. */
  skipReason?: string | undefined;
  /** Resolves the resources to act on, once, right before the unit's first execution. */
  resolveTarget: () => MitigationTarget | Promise<MitigationTarget>;
  /** The target recorded on executions that never ran. */
  placeholder: MitigationTarget;
}

/** Outcome of a unit: every action completed, one failed, it was skipped, or the task stopped. */
export type UnitStatus = 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELED';

export interface UnitOutcome {
  status: UnitStatus;
  executions: ExecutionRecord[];
}

export interface TaskRunnerOptions {
  store: MitigationStore;
  mitigator: Mitigator;
  clock: Clock;
  logger: Logger;
  /** Status of the executions a cancel keeps from starting: CANCELED (audit), SKIPPED (detect). */
  notStartedStatus: 'CANCELED' | 'SKIPPED';
}

/**
 * Applies a task's actions unit by unit. Within a unit the actions run in order, and a failure
 * records the unit's remaining actions as SKIPPED. The cancel flag is read only between two
 * executions, so the runner waits for every execution it started and records its result. Each
 * action of a unit gets one stored execution record while the store accepts the writes.
 */
export class TaskRunner {
  constructor(private readonly options: TaskRunnerOptions) {}

  /** Runs one unit and returns how it ended, with its execution records. */
  async runUnit(taskId: string, unit: TaskUnit, control: TaskControl): Promise<UnitOutcome> {
    // A unit the filters exclude is skipped whether or not the task was canceled.
    if (unit.skipReason !== undefined) {
      const records = await this.recordUnrun(
        taskId,
        unit,
        unit.actions,
        'SKIPPED',
        unit.skipReason,
      );
      return { status: 'SKIPPED', executions: records };
    }
    if (control.canceled) {
      const records = await this.recordNotStarted(
        taskId,
        unit,
        unit.actions,
        canceledNote(control),
      );
      return { status: 'CANCELED', executions: records };
    }

    const resolved = await this.resolve(taskId, unit);
    if ('failure' in resolved) return { status: 'FAILED', executions: resolved.failure };
    return this.applyActions(taskId, unit, resolved.target, control);
  }

  private async applyActions(
    taskId: string,
    unit: TaskUnit,
    target: MitigationTarget,
    control: TaskControl,
  ): Promise<UnitOutcome> {
    const executions: ExecutionRecord[] = [];
    for (const [index, action] of unit.actions.entries()) {
      const rest = unit.actions.slice(index);
      if (index > 0 && control.canceled) {
        executions.push(
          ...(await this.recordNotStarted(taskId, unit, rest, canceledNote(control))),
        );
        return { status: 'CANCELED', executions };
      }

      control.current = { unitId: unit.id, actionName: action.actionName };
      const record = await this.execute(taskId, unit, action, target);
      control.current = undefined;
      executions.push(record);

      if (record.status !== 'COMPLETED') {
        const note = `Skipped because action "${action.actionName}" failed on this ${unit.noun}`;
        executions.push(...(await this.recordUnrun(taskId, unit, rest.slice(1), 'SKIPPED', note)));
        return { status: 'FAILED', executions };
      }
    }
    return { status: 'SUCCEEDED', executions };
  }

  private async resolve(
    taskId: string,
    unit: TaskUnit,
  ): Promise<{ target: MitigationTarget } | { failure: ExecutionRecord[] }> {
    try {
      return { target: await unit.resolveTarget() };
    } catch (error) {
      this.options.logger.warn(
        { err: error, taskId, unitId: unit.id },
        'mitigation target not resolved',
      );
      const [first, ...rest] = unit.actions;
      if (first === undefined) return { failure: [] };
      const failed = this.unrunRecord(taskId, unit, first, 'FAILED', messageOf(error));
      failed.errorCode = codeOf(error);
      await this.options.store.putExecution(failed);
      const note = `Skipped because the ${unit.noun}'s target could not be resolved`;
      return {
        failure: [failed, ...(await this.recordUnrun(taskId, unit, rest, 'SKIPPED', note))],
      };
    }
  }

  /** Runs one action; a mitigator that throws yields a FAILED record with the error's code. */
  private async execute(
    taskId: string,
    unit: TaskUnit,
    action: MitigationAction,
    target: MitigationTarget,
  ): Promise<ExecutionRecord> {
    const startTime = this.options.clock.now();
    let record: ExecutionRecord;
    try {
      record = await this.options.mitigator.execute({
        action,
        target,
        source: unit.source,
        taskId,
      });
    } catch (error) {
      this.options.logger.warn(
        { err: error, taskId, unitId: unit.id, actionName: action.actionName },
        'mitigation action failed',
      );
      record = {
        ...this.unrunRecord(taskId, unit, action, 'FAILED', messageOf(error)),
        target,
        startTime,
        errorCode: codeOf(error),
      };
    }
    // The mitigator stores its records itself. Writing the returned record again is an upsert
    // under the same execution ID, which keeps the task complete even with a mitigator that
    // does not store.
    await this.options.store.putExecution(record);
    return record;
  }

  private recordNotStarted(
    taskId: string,
    unit: TaskUnit,
    actions: MitigationAction[],
    note: string,
  ): Promise<ExecutionRecord[]> {
    return this.recordUnrun(taskId, unit, actions, this.options.notStartedStatus, note);
  }

  private async recordUnrun(
    taskId: string,
    unit: TaskUnit,
    actions: MitigationAction[],
    status: ExecutionStatus,
    note: string,
  ): Promise<ExecutionRecord[]> {
    const records = actions.map((action) => this.unrunRecord(taskId, unit, action, status, note));
    for (const record of records) await this.options.store.putExecution(record);
    return records;
  }

  private unrunRecord(
    taskId: string,
    unit: TaskUnit,
    action: MitigationAction,
    status: ExecutionStatus,
    message: string,
  ): ExecutionRecord {
    const now = this.options.clock.now();
    return {
      executionId: randomUUID(),
      taskId,
      source: unit.source,
      actionName: action.actionName,
      actionId: action.actionId,
      actionType: action.actionType,
      target: unit.placeholder,
      status,
      dryRun: false,
      startTime: now,
      endTime: now,
      message: message.slice(0, MAX_MESSAGE_LENGTH),
    };
  }
}

function canceledNote(control: TaskControl): string {
  return control.stopping
    ? 'Not started because Warden stopped'
    : 'Not started because the task was canceled';
}

function codeOf(error: unknown): string {
  return error instanceof WardenError ? error.code : 'InternalFailureException';
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, MAX_MESSAGE_LENGTH);
}
