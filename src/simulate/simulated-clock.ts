/**
 * The fleet's own time, which sets the time of day of the devices' behavior. It moves one step per
 * tick, however long the tick takes in real time, so a whole simulated day can run in minutes.
 * Warden keeps its own clock: report and message times there are real times.
 */

import type { Clock } from '../core/clock.ts';

/** The Device Defender report interval, one simulated step by default. */
export const DEFAULT_STEP_MS = 300_000;

const DAY_MS = 86_400_000;

export interface SimulatedClockOptions {
  /** Simulated epoch milliseconds of the first tick; midnight UTC of today by default. */
  start?: number;
  /** Simulated milliseconds per tick. */
  stepMs?: number;
}

/** A clock that moves only when the simulation advances it by one step. */
export class SimulatedClock implements Clock {
  readonly start: number;
  readonly stepMs: number;
  private current: number;

  /** @throws RangeError when the start is not a finite time or the step is not positive */
  constructor(options: SimulatedClockOptions = {}) {
    this.start = options.start ?? Math.floor(Date.now() / DAY_MS) * DAY_MS;
    this.stepMs = options.stepMs ?? DEFAULT_STEP_MS;
    if (!Number.isFinite(this.start)) {
      throw new RangeError(`Invalid simulated start "${this.start}": must be epoch milliseconds`);
    }
    if (!Number.isInteger(this.stepMs) || this.stepMs <= 0) {
      throw new RangeError(`Invalid simulated step "${this.stepMs}": must be a positive integer`);
    }
    this.current = this.start;
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by one step. */
  step(): void {
    this.current += this.stepMs;
  }
}
