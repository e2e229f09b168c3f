import { randomUUID } from 'node:crypto';
import { invalidRequest, notFound, WardenError } from '../core/errors.ts';
import {
  errorCodeOf,
  PartialApplyError,
  type ActionExecutor,
  type ExecutorContext,
} from './executors/executor.ts';
import { EXECUTORS } from './executors/index.ts';
import type { MitigationStore } from './mitigation-store.ts';
import type { ExecutionRecord, MitigationActionType } from './mitigation-types.ts';
import type { ExecuteInput, Mitigator } from './mitigator.ts';

/** ListAuditMitigationActionsExecutions returns messages of at most 2048 characters. */
const MAX_MESSAGE_LENGTH = 2048;

export interface LiveMitigatorOptions extends ExecutorContext {
  store: MitigationStore;
  /** Replaces the executors of some action types, e.g. in tests; the shipped ones by default. */
  executors?: Partial<Record<MitigationActionType, ActionExecutor>>;
}

/**
 * Applies mitigation actions to the live registry and broker and records every execution. The
 * IN_PROGRESS record is stored before anything changes, so a crash leaves a trace. The final
 * record contains the state before and after, which rollback restores.
 */
export class LiveMitigator implements Mitigator {
  private readonly executors: Record<MitigationActionType, ActionExecutor>;
  private readonly rollingBack = new Set<string>();

  constructor(private readonly options: LiveMitigatorOptions) {
    this.executors = { ...EXECUTORS, ...options.executors };
  }

  /**
   * Runs one action on one target. A failed action resolves with a FAILED record, not an error,
   * as the AWS task listings show failures. Resolves once the broker enforces the effect.
   * @throws WardenError InvalidRequestException for an unknown action type.
   */
  async execute(input: ExecuteInput): Promise<ExecutionRecord> {
    const executor = this.executorOf(input.action.actionType);
    const record: ExecutionRecord = {
      executionId: randomUUID(),
      source: input.source,
      actionName: input.action.actionName,
      actionId: input.action.actionId,
      actionType: input.action.actionType,
      target: input.target,
      status: 'IN_PROGRESS',
      dryRun: input.dryRun === true,
      startTime: this.options.clock.now(),
    };
    if (input.taskId !== undefined) record.taskId = input.taskId;
    await this.options.store.putExecution(record);

    const context = { ...this.options, execution: record };
    try {
      if (record.dryRun) {
        const plan = executor.plan(input.action, input.target, context);
        Object.assign(record, { before: plan.before, message: truncate(plan.message) });
      } else {
        const result = await executor.apply(input.action, input.target, context);
        await this.options.broker.settled();
        Object.assign(record, {
          before: result.before,
          after: result.after,
          message: truncate(result.message),
        });
      }
      record.status = 'COMPLETED';
    } catch (error) {
      this.fail(record, error);
    }
    record.endTime = this.options.clock.now();
    await this.options.store.putExecution(record);
    this.log(record);
    return record;
  }

  /**
   * Restores what an execution changed and records when.
   * @throws WardenError ResourceNotFoundException for an unknown execution,
   * InvalidRequestException for a dry run, an execution that changed nothing, one already
   * rolled back or one of a type that cannot be undone, and ConflictingResourceUpdateException
   * while another rollback of the same execution runs.
   */
  async rollback(executionId: string): Promise<ExecutionRecord> {
    const record = await this.options.store.getExecution(executionId);
    if (!record) throw notFound(`Mitigation execution "${executionId}" does not exist`);
    const executor = this.executorOf(record.actionType);
    checkReversible(record, executor);
    if (this.rollingBack.has(executionId)) {
      throw new WardenError(
        'ConflictingResourceUpdateException',
        `Mitigation execution "${executionId}" is already being rolled back`,
      );
    }

    this.rollingBack.add(executionId);
    try {
      const message = await executor.rollback(record, this.options);
      await this.options.broker.settled();
      record.rolledBackAt = this.options.clock.now();
      record.rollbackMessage = truncate(message);
    } catch (error) {
      record.rollbackMessage = truncate(`Rollback failed: ${messageOf(error)}`);
      await this.options.store.putExecution(record);
      this.options.logger.error({ err: error, executionId }, 'mitigation rollback failed');
      throw error;
    } finally {
      this.rollingBack.delete(executionId);
    }
    await this.options.store.putExecution(record);
    this.options.logger.info(
      { executionId, actionName: record.actionName, message: record.rollbackMessage },
      'mitigation rolled back',
    );
    return record;
  }

  private executorOf(actionType: MitigationActionType): ActionExecutor {
    const executor = this.executors[actionType] as ActionExecutor | undefined;
    if (!executor) throw invalidRequest(`Unknown mitigation action type "${String(actionType)}"`);
    return executor;
  }

  private fail(record: ExecutionRecord, error: unknown): void {
    record.status = 'FAILED';
    record.errorCode = errorCodeOf(error);
    record.message = truncate(messageOf(error));
    if (error instanceof PartialApplyError) {
      record.before = error.before;
      record.after = error.after;
    }
    if (record.errorCode === 'InternalFailureException')
      this.options.logger.error(
        { err: error, executionId: record.executionId },
        'mitigation failed',
      );
  }

  private log(record: ExecutionRecord): void {
    this.options.logger.info(
      {
        executionId: record.executionId,
        actionName: record.actionName,
        actionType: record.actionType,
        status: record.status,
        dryRun: record.dryRun,
        errorCode: record.errorCode,
        message: record.message,
      },
      record.dryRun ? 'mitigation dry run' : 'mitigation applied',
    );
  }
}

/** Rejects rollbacks that cannot restore anything, with the reason in the message. */
function checkReversible(record: ExecutionRecord, executor: ActionExecutor): void {
  const refuse = (reason: string) =>
    invalidRequest(`Cannot roll back mitigation execution "${record.executionId}": ${reason}`);
  if (record.dryRun) throw refuse('it was a dry run and changed nothing');
  if (record.rolledBackAt !== undefined)
    throw refuse(`it was already rolled back at ${new Date(record.rolledBackAt).toISOString()}`);
  if (record.status !== 'COMPLETED' && record.status !== 'FAILED')
    throw refuse(`it is ${record.status}`);
  if (record.after === undefined) throw refuse('it failed before changing anything');
  if (executor.irreversible !== undefined) throw refuse(executor.irreversible);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH
    ? message
    : `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}
