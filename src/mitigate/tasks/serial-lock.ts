/**
 * Runs asynchronous critical sections one at a time, in call order. Definitions and task starts
 * read the store, decide, then write. Without the lock, two requests could both pass the
 * duplicate or limit check between the read and the write.
 */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `section` after every section queued before it has settled. */
  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
