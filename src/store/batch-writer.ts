import type { SqliteHandle } from './sqlite-database.ts';

interface Pending {
  write: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface BatchWriterOptions {
  /** Most writes committed in one transaction. */
  maxBatch?: number;
}

/**
 * Group commit for SQLite: writes queued in the same turn of the event loop share one
 * transaction, and each write's promise resolves only after that transaction committed. Callers
 * acknowledge to clients after the promise, so nothing acknowledged is lost on a crash, while a
 * burst of reports costs one fsync instead of one each.
 */
export class BatchWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly maxBatch: number;

  constructor(
    private readonly db: SqliteHandle,
    options: BatchWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 2000;
  }

  /** Queues a synchronous write (prepared statements) and resolves once it is durable. */
  write(write: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.schedule();
    });
  }

  /** Commits everything queued so far. */
  flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => runAll(batch))();
    } catch (error) {
      // The transaction rolled back as a whole; retry one by one so one bad write fails alone.
      this.retryEach(batch, error);
      return;
    }
    for (const pending of batch) pending.resolve();
  }

  private retryEach(batch: Pending[], firstError: unknown): void {
    for (const pending of batch) {
      try {
        this.db.transaction(pending.write)();
        pending.resolve();
      } catch (error) {
        pending.reject(error ?? firstError);
      }
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }
}

function runAll(batch: Pending[]): void {
  for (const pending of batch) pending.write();
}
