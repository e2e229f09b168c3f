import { Worker } from 'node:worker_threads';
import type { SqliteHandle } from './sqlite-database.ts';

/** One SQL statement and its parameters; a write is a list of them, applied together. */
export type WriteStatement = readonly [sql: string, params: readonly unknown[]];

interface Pending {
  statements: readonly WriteStatement[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: writes queued in the same turn of the event loop share one
 * transaction, and each write's promise resolves only after that transaction committed. Callers
 * acknowledge to clients after the promise, so nothing acknowledged is lost on a crash, while a
 * burst of reports costs one fsync instead of one each.
 */
export interface GroupWriter {
  write(statements: readonly WriteStatement[]): Promise<void>;
  /** Resolves when everything queued so far is committed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Collects the writes of one event-loop turn and hands them to `commit` as one batch. */
abstract class Batcher implements GroupWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  protected inFlight = new Set<Promise<void>>();

  constructor(private readonly maxBatch: number) {}

  write(statements: readonly WriteStatement[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ statements, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.send();
      else this.schedule();
    });
  }

  async flush(): Promise<void> {
    this.send();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  abstract close(): Promise<void>;

  /** Commits the batch and returns, per write, null or the error message. */
  protected abstract commit(
    items: readonly (readonly WriteStatement[])[],
  ): Promise<(string | null)[]>;

  private send(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const done = this.commit(batch.map((pending) => pending.statements)).then(
      (errors) => batch.forEach((pending, index) => settle(pending, errors[index] ?? null)),
      (error: unknown) => batch.forEach((pending) => pending.reject(error)),
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }
}

function settle(pending: Pending, error: string | null): void {
  if (error === null) pending.resolve();
  else pending.reject(new Error(error));
}

/** Commits on the caller's own connection, in the event loop: for in-memory databases and tests. */
export class BatchWriter extends Batcher {
  private readonly statements = new Map<string, { run(...params: unknown[]): unknown }>();

  constructor(
    private readonly db: SqliteHandle,
    options: { maxBatch?: number } = {},
  ) {
    super(options.maxBatch ?? 2000);
  }

  async close(): Promise<void> {
    await this.flush();
  }

  protected async commit(
    items: readonly (readonly WriteStatement[])[],
  ): Promise<(string | null)[]> {
    const run = (item: readonly WriteStatement[]) => {
      for (const [sql, params] of item) this.prepared(sql).run(...params);
    };
    try {
      this.db.transaction(() => items.forEach(run))();
      return items.map(() => null);
    } catch {
      return items.map((item) => {
        try {
          this.db.transaction(() => run(item))();
          return null;
        } catch (error) {
          return (error as Error).message;
        }
      });
    }
  }

  private prepared(sql: string) {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Commits in a worker thread with its own connection to the database file, so the fsync of a
 * commit never blocks the event loop and the next batch fills while the previous one commits.
 * Reads stay on the main connection; WAL lets them see each commit once it is done.
 */
export class WorkerBatchWriter extends Batcher {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (errors: (string | null)[]) => void; reject: (error: unknown) => void }
  >();
  private failure: Error | undefined;

  constructor(file: string, options: { maxBatch?: number } = {}) {
    super(options.maxBatch ?? 5000);
    this.worker = new Worker(new URL('./write-worker.mjs', import.meta.url), {
      workerData: { file },
    });
    this.worker.on(
      'message',
      (message: { type: string; id?: number; errors?: (string | null)[] }) => {
        if (message.type !== 'done' || message.id === undefined) return;
        this.waiting.get(message.id)?.resolve(message.errors ?? []);
        this.waiting.delete(message.id);
      },
    );
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`The SQLite write worker exited with code ${code}`));
    });
  }

  async close(): Promise<void> {
    await this.flush();
    const closed = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'close' });
    await closed;
  }

  protected commit(items: readonly (readonly WriteStatement[])[]): Promise<(string | null)[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'batch', id, items });
    });
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const pending of this.waiting.values()) pending.reject(error);
    this.waiting.clear();
  }
}
