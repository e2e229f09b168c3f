import type { MqttClient } from 'mqtt';
import { performance } from 'node:perf_hooks';
import type { PhaseKind, PhaseResult } from './protocol.ts';
import { FIRST_REPORT_ID, isViolating, reportPayload } from './report-payload.ts';
import { cpuShare, summarizeLatencies } from './stats.ts';

/** Returns the plain topic of the raw phase, which its device publishes to and subscribes to. */
export function echoTopic(thingName: string): string {
  return `bench/${thingName}/echo`;
}

/** Returns the Device Defender JSON report topic of a thing. */
export function reportTopic(thingName: string): string {
  return `$aws/things/${thingName}/defender/metrics/json`;
}

/** Lists the topic filters a device subscribes to, all at QoS 1. */
export function deviceSubscriptions(thingName: string): string[] {
  const report = reportTopic(thingName);
  return [`${report}/accepted`, `${report}/rejected`, echoTopic(thingName)];
}

interface InFlight {
  reportId: number;
  sentAt: number;
}

/** Timing and counters of the phase that is running, shared by all devices. */
export class PhaseRecorder {
  running = true;
  inWindow = false;
  completed = 0;
  mismatched = 0;
  readonly rejected: Record<string, number> = {};
  readonly latencies: number[] = [];

  constructor(
    readonly kind: PhaseKind,
    readonly inflight: number,
    readonly violateEvery: number,
    readonly thinkMs: number,
  ) {}

  record(latencyMs: number, errorCode: string | undefined, mismatch: boolean): void {
    if (!this.inWindow) return;
    this.completed++;
    this.latencies.push(latencyMs);
    if (mismatch) this.mismatched++;
    if (errorCode !== undefined) this.rejected[errorCode] = (this.rejected[errorCode] ?? 0) + 1;
  }
}

/**
 * One simulated device in a closed loop: it keeps `inflight` round trips open and starts the
 * next one when an answer (report phase) or its own echoed message (raw phase) arrives. Both
 * phases publish at QoS 1 the same report bytes with increasing report ids, so the broker-side
 * work differs only by what Warden does with a report.
 */
export class BenchDevice {
  private nextReportId = FIRST_REPORT_ID;
  private sequence = 0;
  private readonly open: InFlight[] = [];
  private phase: PhaseRecorder | undefined;
  private readonly reportTopic: string;
  private readonly echoTopic: string;

  constructor(
    readonly thingName: string,
    readonly client: MqttClient,
  ) {
    this.reportTopic = reportTopic(thingName);
    this.echoTopic = echoTopic(thingName);
    client.on('message', (topic, payload) => this.receive(topic, payload));
  }

  get openRoundTrips(): number {
    return this.open.length;
  }

  /**
   * Starts the phase's round trips on this device. Round trips a timed-out drain left open are
   * dropped; if their answers still arrive, they count as mismatched.
   */
  start(phase: PhaseRecorder): void {
    this.phase = phase;
    this.open.length = 0;
    for (let i = 0; i < phase.inflight; i++) this.send();
  }

  private send(): void {
    const phase = this.phase;
    if (!phase?.running) return;
    const reportId = this.nextReportId++;
    const payload = reportPayload(reportId, isViolating(this.sequence++, phase.violateEvery));
    const topic = phase.kind === 'raw' ? this.echoTopic : this.reportTopic;
    this.open.push({ reportId, sentAt: performance.now() });
    this.client.publish(topic, payload, { qos: 1 });
  }

  private receive(topic: string, payload: Buffer): void {
    const phase = this.phase;
    const head = this.open.shift();
    if (!phase || !head) return;
    const latency = performance.now() - head.sentAt;

    if (topic === this.echoTopic) {
      phase.record(latency, undefined, false);
    } else {
      const answer = JSON.parse(payload.toString('utf8')) as {
        reportId?: number;
        statusDetails?: { ErrorCode?: string };
      };
      const rejected = topic.endsWith('/rejected');
      const code = rejected ? (answer.statusDetails?.ErrorCode ?? 'unknown') : undefined;
      phase.record(latency, code, answer.reportId !== head.reportId);
    }
    if (!phase.running) return;
    if (phase.thinkMs > 0) setTimeout(() => this.send(), phase.thinkMs);
    else this.send();
  }
}

export interface PhaseTiming {
  warmupMs: number;
  windowMs: number;
  drainTimeoutMs: number;
  onWindowStart: () => void;
  onWindowEnd: () => void;
}

/**
 * Runs one phase on every device: warm-up, then the measuring window, then waits for the open
 * round trips to finish (at most `drainTimeoutMs`) so the next phase starts from an idle broker.
 */
export async function runPhase(
  devices: readonly BenchDevice[],
  phase: PhaseRecorder,
  timing: PhaseTiming,
  payloadBytes: number,
): Promise<PhaseResult> {
  for (const device of devices) device.start(phase);
  await delay(timing.warmupMs);

  timing.onWindowStart();
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  const loopAtStart = performance.eventLoopUtilization();
  phase.inWindow = true;
  await delay(timing.windowMs);
  phase.inWindow = false;
  const windowMs = performance.now() - startedAt;
  const clientCpu = process.cpuUsage(cpuAtStart);
  const clientLoop = performance.eventLoopUtilization(loopAtStart);
  timing.onWindowEnd();

  phase.running = false;
  const unanswered = await drain(devices, timing.drainTimeoutMs);
  return {
    phase: phase.kind,
    devices: devices.length,
    inflight: phase.inflight,
    thinkMs: phase.thinkMs,
    windowMs,
    completed: phase.completed,
    rejected: phase.rejected,
    mismatched: phase.mismatched,
    unanswered,
    latencyMs: summarizeLatencies(phase.latencies),
    payloadBytes,
    clientCpuShare: cpuShare(clientCpu, windowMs),
    clientEventLoopUtilization: clientLoop.utilization,
  };
}

/** Waits until no device has an open round trip; returns how many were still open at timeout. */
async function drain(devices: readonly BenchDevice[], timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    let open = 0;
    for (const device of devices) open += device.openRoundTrips;
    if (open === 0 || performance.now() >= deadline) return open;
    await delay(20);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
