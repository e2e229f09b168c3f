import { performance } from 'node:perf_hooks';
import type { WardenService } from '../../src/service/warden-service.ts';

/** Group-commit figures of one measuring window. */
export interface CommitWindow {
  /** Transactions committed (calls of `BatchWriter.flush` that had writes queued). */
  commits: number;
  /** Queued writes those transactions carried. A report is one write, its evaluation another. */
  writes: number;
  writesPerCommit: number;
  /** Mean and p99 wall time of one commit, in milliseconds, the event loop blocked throughout. */
  meanCommitMs: number;
  p99CommitMs: number;
  /** Share of the window the event loop spent inside commits. */
  windowShare: number;
}

interface FlushableWriter {
  queue: unknown[];
  flush: () => void;
}

/**
 * Times the service's group commits by wrapping `flush` on its BatchWriter instance. The writer
 * is a private field of WardenService, so this reads it by name and returns undefined when the
 * field is gone; the benchmark then reports no commit figures rather than failing.
 */
export class CommitProbe {
  private durations: number[] = [];
  private writes = 0;
  private startedAt = 0;

  private constructor(writer: FlushableWriter) {
    const flush = writer.flush.bind(writer);
    writer.flush = () => {
      const queued = writer.queue.length;
      if (queued === 0) return flush();
      const start = performance.now();
      flush();
      this.durations.push(performance.now() - start);
      this.writes += queued;
    };
  }

  static attach(service: WardenService): CommitProbe | undefined {
    const writer = (service as unknown as { writer?: Partial<FlushableWriter> }).writer;
    if (!writer || typeof writer.flush !== 'function' || !Array.isArray(writer.queue))
      return undefined;
    return new CommitProbe(writer as FlushableWriter);
  }

  start(): void {
    this.durations = [];
    this.writes = 0;
    this.startedAt = performance.now();
  }

  stop(): CommitWindow {
    const windowMs = performance.now() - this.startedAt;
    const sorted = Float64Array.from(this.durations).sort();
    let total = 0;
    for (const duration of sorted) total += duration;
    const commits = sorted.length;
    return {
      commits,
      writes: this.writes,
      writesPerCommit: commits > 0 ? this.writes / commits : 0,
      meanCommitMs: commits > 0 ? total / commits : 0,
      p99CommitMs: sorted[Math.max(0, Math.ceil(commits * 0.99) - 1)] ?? 0,
      windowShare: windowMs > 0 ? total / windowMs : 0,
    };
  }
}
