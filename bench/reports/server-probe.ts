import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { cpuShare } from './stats.ts';
import type { CommitProbe, CommitWindow } from './store-probe.ts';

/** Process memory in bytes, read after garbage collection settled. */
export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Runs a full garbage collection a few times, letting finalizers and weak callbacks run in
 * between, then reads the process memory.
 * @throws Error when node was started without `--expose-gc`.
 */
export async function settledMemory(): Promise<MemorySnapshot> {
  const gc = globalThis.gc;
  if (!gc)
    throw new Error('Memory figures need a garbage collector hook: run node with --expose-gc');
  for (let round = 0; round < 3; round++) {
    gc();
    await nextTurn();
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers };
}

/** Growth from `before` to `after` divided by `count`, per field, in bytes. */
export function memoryPerItem(
  before: MemorySnapshot,
  after: MemorySnapshot,
  count: number,
): MemorySnapshot {
  const per = (key: keyof MemorySnapshot) => (after[key] - before[key]) / count;
  return {
    rss: per('rss'),
    heapUsed: per('heapUsed'),
    heapTotal: per('heapTotal'),
    external: per('external'),
    arrayBuffers: per('arrayBuffers'),
  };
}

/** What the server process spent during one measuring window. */
export interface ServerWindow {
  windowMs: number;
  /** CPU time of the whole server process (all threads) as a share of one core. */
  cpuShare: number;
  /** Share of the window the server's event loop was busy rather than waiting for I/O. */
  eventLoopUtilization: number;
  /** Reports the intake accepted inside the window. */
  acceptedReports: number;
  /** SQLite group commits inside the window, when the commit probe could attach. */
  commits?: CommitWindow;
  /**
   * Cores the whole machine kept busy in the window (0 to the core count), from /proc/stat;
   * NaN where that file does not exist. What the two benchmark processes did not use of it was
   * other work on the machine, which makes the figures lower and noisier.
   */
  machineBusyCores: number;
}

interface CpuTicks {
  busy: number;
  total: number;
}

/** Reads the machine-wide CPU counters from /proc/stat, or undefined off Linux. */
function machineTicks(): CpuTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((sum, value) => sum + value, 0);
    // Fields 4 and 5 are idle and iowait.
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/**
 * Samples the server process over a measuring window and, when asked, records a V8 CPU
 * profile of exactly that window through the inspector, so set-up work stays out of it.
 */
export class ServerProbe {
  private session: Session | undefined;
  private startedAt = 0;
  private cpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  private loop: EventLoopUtilization | undefined;
  private accepted = 0;
  private ticks: CpuTicks | undefined;

  constructor(
    private readonly acceptedCount: () => number,
    private readonly profileIntervalUs: number | undefined,
    private readonly commitProbe: CommitProbe | undefined,
  ) {}

  async start(): Promise<void> {
    if (this.profileIntervalUs !== undefined) {
      this.session = new Session();
      this.session.connect();
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.setSamplingInterval', {
        interval: this.profileIntervalUs,
      });
      await this.session.post('Profiler.start');
    }
    this.startedAt = performance.now();
    this.cpu = process.cpuUsage();
    this.loop = performance.eventLoopUtilization();
    this.accepted = this.acceptedCount();
    this.ticks = machineTicks();
    this.commitProbe?.start();
  }

  /** Ends the window; returns its figures and the CPU profile when one was recorded. */
  async stop(): Promise<{ window: ServerWindow; profile?: unknown }> {
    const windowMs = performance.now() - this.startedAt;
    const window: ServerWindow = {
      windowMs,
      cpuShare: cpuShare(process.cpuUsage(this.cpu), windowMs),
      eventLoopUtilization: performance.eventLoopUtilization(this.loop).utilization,
      acceptedReports: this.acceptedCount() - this.accepted,
      machineBusyCores: busyCores(this.ticks, machineTicks()),
    };
    if (this.commitProbe) window.commits = this.commitProbe.stop();
    if (!this.session) return { window };
    const { profile } = await this.session.post('Profiler.stop');
    this.session.disconnect();
    this.session = undefined;
    return { window, profile };
  }
}

function busyCores(before: CpuTicks | undefined, after: CpuTicks | undefined): number {
  if (!before || !after || after.total <= before.total) return NaN;
  return ((after.busy - before.busy) / (after.total - before.total)) * os.cpus().length;
}
