/**
 * Per-key request rate limits: a token bucket per access key that refills at the configured rate
 * up to a burst of twice that. A key over its rate gets ThrottlingException and other keys are
 * not affected.
 */

import type { Clock } from '../../core/clock.ts';
import { WardenError } from '../../core/errors.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets idle this long are full again and are dropped to bound memory. */
const IDLE_MS = 60_000;

export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private sweptAt = 0;

  /** @param ratePerSecond requests per second per key; 0 turns limiting off. */
  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: Clock,
  ) {
    this.burst = Math.max(1, ratePerSecond * 2);
  }

  /**
   * Takes one request from a key's bucket.
   * @throws WardenError ThrottlingException when the bucket is empty.
   */
  take(accessKeyId: string): void {
    if (this.ratePerSecond <= 0) return;
    const now = this.clock.now();
    this.sweep(now);
    const bucket = this.buckets.get(accessKeyId) ?? { tokens: this.burst, updatedAt: now };
    const refilled = ((now - bucket.updatedAt) / 1000) * this.ratePerSecond;
    bucket.tokens = Math.min(this.burst, bucket.tokens + refilled);
    bucket.updatedAt = now;
    this.buckets.set(accessKeyId, bucket);
    if (bucket.tokens < 1) {
      throw new WardenError(
        'ThrottlingException',
        `Rate exceeded for access key "${accessKeyId}": at most ${this.ratePerSecond} requests per second`,
      );
    }
    bucket.tokens -= 1;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < IDLE_MS) return;
    this.sweptAt = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt > IDLE_MS) this.buckets.delete(key);
    }
  }
}
