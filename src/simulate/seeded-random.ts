/**
 * Deterministic randomness for the virtual fleet. Every draw is a pure function of the run's seed
 * and a key (device, tick, purpose). So one device's values do not depend on how many other
 * devices or scenarios a run has, and the same seed replays the same fleet.
 */

/** Mixes one 32-bit word into a hash state (the MurmurHash3 32-bit finalizer steps). */
function mix(state: number, word: number): number {
  let h = (state ^ Math.imul(word | 0, 0xcc9e2d51)) >>> 0;
  h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes a string to a 32-bit word with FNV-1a, so names can key a draw. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Hashes the seed and the key parts to a 32-bit word. Strings are hashed first. */
export function hashKey(seed: number, parts: readonly (number | string)[]): number {
  let state = mix(0x9e3779b9, seed);
  for (const part of parts) state = mix(state, typeof part === 'string' ? hashString(part) : part);
  return mix(state, parts.length);
}

/**
 * A stream of draws for one key. Draw `n` of the stream is `hashKey(seed, [...key, n])`, so a
 * caller that draws one more value changes no other stream.
 */
export class SeededRandom {
  private counter = 0;

  constructor(
    private readonly seed: number,
    private readonly key: readonly (number | string)[],
  ) {}

  /** Draws a float in [0, 1). */
  next(): number {
    const word = hashKey(this.seed, [...this.key, this.counter]);
    this.counter++;
    return word / 0x1_0000_0000;
  }

  /** Draws a float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Draws an integer in [min, max], both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /**
   * Draws one element of a non-empty list.
   * @throws RangeError when the list is empty
   */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Draws `count` distinct elements of `items` in a seeded order, or all of them when count is larger. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    for (let index = pool.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1));
      [pool[index], pool[other]] = [pool[other] as T, pool[index] as T];
    }
    return pool.slice(0, Math.min(count, pool.length));
  }
}
