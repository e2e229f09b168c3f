/**
 * The end of a stored mitigation task, shared by audit and Detect mitigation tasks: recording its
 * final status, canceling it, and failing the tasks a stop or crash left IN_PROGRESS.
 */

import type { Clock } from '../../core/clock.ts';
import { invalidRequest } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { MitigationStore } from '../mitigation-store.ts';
import type { RunningTasks } from './running-tasks.ts';

/** The members both task records have. */
export interface StoredTask<S extends string> {
  taskId: string;
  taskStatus: S;
  endTime?: number;
}

export interface TaskLifecycleOptions {
  /** Document kind of the task records. */
  kind: string;
  /** The task's name in messages and logs, e.g. `audit mitigation task`. */
  label: string;
  store: MitigationStore;
  running: RunningTasks;
  clock: Clock;
  logger: Logger;
}

export class TaskLifecycle<S extends string, T extends StoredTask<S | 'CANCELED' | 'FAILED'>> {
  constructor(private readonly options: TaskLifecycleOptions) {}

  /** Records the task's final status and end time. */
  async finish(task: T, status: T['taskStatus']): Promise<void> {
    const { store, clock, logger, kind, label } = this.options;
    task.taskStatus = status;
    task.endTime = clock.now();
    await store.putDocument({ kind, key: task.taskId, data: task });
    logger.info({ taskId: task.taskId, taskStatus: status }, `${label} ended`);
  }

  /**
   * Cancels a task: a running one through its flag, set before any await; a stored one that no
   * runner owns, because a restart cut it off, by recording it as CANCELED.
   * @throws WardenError InvalidRequestException for a task that is no longer IN_PROGRESS, and
   *   whatever `describe` throws for an unknown task.
   */
  async cancel(taskId: string, describe: (taskId: string) => Promise<T>): Promise<void> {
    if (this.options.running.requestCancel(taskId)) return;
    const task = await describe(taskId);
    if (task.taskStatus !== 'IN_PROGRESS') {
      throw invalidRequest(
        `Cannot cancel ${this.options.label} "${taskId}": it is ${task.taskStatus}`,
      );
    }
    await this.finish(task, 'CANCELED');
  }

  /** Marks tasks that a stop or crash left IN_PROGRESS as FAILED; returns how many. */
  async recoverInterrupted(): Promise<number> {
    const { store, running, logger, kind, label } = this.options;
    const tasks = (await store.listDocuments(kind)) as T[];
    const interrupted = tasks.filter(
      (task) => task.taskStatus === 'IN_PROGRESS' && !running.control(task.taskId),
    );
    for (const task of interrupted) {
      await this.finish(task, 'FAILED');
      logger.warn({ taskId: task.taskId }, `${label} interrupted`);
    }
    return interrupted.length;
  }
}
