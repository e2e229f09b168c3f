/**
 * A small least-recently-used cache on top of `Map`, whose iteration order is insertion order:
 * a hit re-inserts the entry, and eviction drops the first key.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  /** @param capacity Maximum entries kept; 0 disables the cache. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`Invalid cache capacity "${capacity}": must be a non-negative integer`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity === 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size <= this.capacity) return;
    const oldest = this.entries.keys().next();
    if (oldest.done !== true) this.entries.delete(oldest.value);
  }

  clear(): void {
    this.entries.clear();
  }
}
