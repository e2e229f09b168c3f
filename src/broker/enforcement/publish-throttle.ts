/**
 * A publish throttle as stored: while it lasts, PUBLISHes of the thing beyond its rate are
 * dropped by the broker. `thingName` is matched against the session identity, which is the
 * thing name when the certificate is attached to the thing of that name, else the client ID.
 */
export interface ThrottleRecord {
  throttleId: string;
  thingName: string;
  messagesPerMinute: number;
  /** The rule that raised it, e.g. `security profile "fleet", behavior "message-flood"`. */
  rule: string;
  /** The mitigation execution that created it. */
  executionId?: string;
  createdAt: number;
  expiresAt: number;
}

const MINUTE_MS = 60_000;

/**
 * A token bucket with room for one minute's worth of messages, refilled continuously at
 * `messagesPerMinute`, so a thing may send that many messages in any minute and a burst of at
 * most that many at once. It starts full. Times come from the injected clock, in milliseconds.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;

  constructor(
    private readonly messagesPerMinute: number,
    now: number,
  ) {
    this.capacity = Math.max(1, messagesPerMinute);
    this.tokens = this.capacity;
    this.updatedAt = now;
  }

  /** Takes one token when one is left; returns false when the message must be dropped. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(
      this.capacity,
      this.tokens + (elapsed * this.messagesPerMinute) / MINUTE_MS,
    );
    // A clock that steps back must not earn tokens when it comes forward again.
    this.updatedAt = Math.max(this.updatedAt, now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** A throttle in force: its record, its bucket, and how many messages it dropped. */
export class ActiveThrottle {
  readonly bucket: TokenBucket;
  dropped = 0;

  constructor(
    readonly record: ThrottleRecord,
    now: number,
  ) {
    this.bucket = new TokenBucket(record.messagesPerMinute, now);
  }
}
