import { performance } from 'node:perf_hooks';
import type { WardenService } from '../../src/service/warden-service.ts';

/** Group-commit figures of one measuring window. */
export interface CommitWindow {
  /** Transactions committed: batches the group-commit writer handed to its worker thread. */
  commits: number;
  /** Queued writes those transactions carried. A report is one write, its evaluation another. */
  writes: number;
  writesPerCommit: number;
  /** Mean and p99 time from handing a batch over to its commit, in milliseconds. */
  meanCommitMs: number;
  p99CommitMs: number;
  /** Share of the window with a commit in progress; the event loop is free meanwhile. */
  windowShare: number;
}

interface CommittingWriter {
  commit: (items: unknown[]) => Promise<unknown>;
}

/**
 * Times the service's group commits by wrapping `commit` on its writer instance. The writer is a
 * private field of WardenService, so this reads it by name and returns undefined when the field
 * or method is gone; the benchmark then reports no commit figures rather than failing.
 */
export class CommitProbe {
  private durations: number[] = [];
  private writes = 0;
  private startedAt = 0;

  private constructor(writer: CommittingWriter) {
    const commit = writer.commit.bind(writer);
    writer.commit = async (items: unknown[]) => {
      const start = performance.now();
      try {
        return await commit(items);
      } finally {
        this.durations.push(performance.now() - start);
        this.writes += items.length;
      }
    };
  }

  static attach(service: WardenService): CommitProbe | undefined {
    const writer = (service as unknown as { writer?: Partial<CommittingWriter> }).writer;
    if (!writer || typeof writer.commit !== 'function') return undefined;
    return new CommitProbe(writer as CommittingWriter);
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
