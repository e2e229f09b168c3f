/** Cancel flags and current execution of a running task, shared by its runner and the API. */
export interface TaskControl {
  /** Set by a cancel request; the runner reads it only between two executions. */
  canceled: boolean;
  /** Set with `canceled` when Warden stops, so the task ends FAILED rather than CANCELED. */
  stopping: boolean;
  /** The execution in flight, which the list operations show as IN_PROGRESS. */
  current: { unitId: string; actionName: string } | undefined;
}

interface RunningEntry {
  control: TaskControl;
  done: Promise<void>;
}

/**
 * The tasks of one kind that are running in this process, with the cap on how many may run at
 * once and the cancel flag of each.
 */
export class RunningTasks {
  private readonly entries = new Map<string, RunningEntry>();

  constructor(readonly maxRunning: number) {}

  get size(): number {
    return this.entries.size;
  }

  isFull(): boolean {
    return this.entries.size >= this.maxRunning;
  }

  control(taskId: string): TaskControl | undefined {
    return this.entries.get(taskId)?.control;
  }

  /**
   * Starts `run` for the task and tracks it until it settles. `run` must handle its own errors,
   * because nothing awaits it unless a caller asks for `finished`.
   */
  launch(taskId: string, run: (control: TaskControl) => Promise<void>): void {
    const control: TaskControl = { canceled: false, stopping: false, current: undefined };
    const done = run(control).finally(() => this.entries.delete(taskId));
    this.entries.set(taskId, { control, done });
  }

  /**
   * Sets the task's cancel flag at once, before any await, so no execution starts after the
   * call. Returns false when the task is not running in this process.
   */
  requestCancel(taskId: string): boolean {
    const entry = this.entries.get(taskId);
    if (!entry) return false;
    entry.control.canceled = true;
    return true;
  }

  /** Stops every running task between two executions and resolves when all have ended. */
  async stopAll(): Promise<void> {
    const entries = [...this.entries.values()];
    for (const entry of entries) {
      entry.control.canceled = true;
      entry.control.stopping = true;
    }
    await Promise.all(entries.map((entry) => entry.done));
  }

  /** Resolves when the task has ended, at once when it is not running. */
  async finished(taskId: string): Promise<void> {
    await this.entries.get(taskId)?.done;
  }
}
