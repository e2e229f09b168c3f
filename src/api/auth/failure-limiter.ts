/**
 * Per-address limit on failed signatures: an address that sends more refused requests than the
 * limit within a minute is refused at once, without a signature check, until the minute is over.
 * Guessing keys or secrets then costs the guesser time and Warden no CPU, and the log gets one
 * line per blocked address instead of one per request.
 */

import type { Clock } from '../../core/clock.ts';
import { WardenError } from '../../core/errors.ts';

const WINDOW_MS = 60_000;

interface Window {
  start: number;
  failures: number;
}

export class FailureLimiter {
  private readonly windows = new Map<string, Window>();

  /** @param limit refused requests per address and minute; 0 turns the limit off. */
  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
  ) {}

  /**
   * Refuses an address that is over its limit.
   * @throws WardenError ThrottlingException naming the address and when it may try again.
   */
  check(address: string): void {
    if (this.limit <= 0) return;
    const window = this.current(address);
    if (window === undefined || window.failures < this.limit) return;
    const seconds = Math.ceil((window.start + WINDOW_MS - this.clock.now()) / 1000);
    throw new WardenError(
      'ThrottlingException',
      `Too many refused requests from "${address}": more than ${this.limit} in a minute; try again in ${seconds} s`,
    );
  }

  /** Counts one refused request; returns true when it takes the address over its limit. */
  recordFailure(address: string): boolean {
    if (this.limit <= 0) return false;
    const now = this.clock.now();
    const window = this.current(address) ?? { start: now, failures: 0 };
    window.failures += 1;
    this.windows.set(address, window);
    this.sweep(now);
    return window.failures === this.limit;
  }

  private current(address: string): Window | undefined {
    const window = this.windows.get(address);
    if (window === undefined) return undefined;
    if (this.clock.now() - window.start < WINDOW_MS) return window;
    this.windows.delete(address);
    return undefined;
  }

  /** Drops finished windows once the map grows, so many addresses cannot exhaust memory. */
  private sweep(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [address, window] of this.windows) {
      if (now - window.start >= WINDOW_MS) this.windows.delete(address);
    }
  }
}
