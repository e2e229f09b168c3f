/**
 * Messages between the benchmark's server process (run.ts) and its load-generator child
 * (load-client.ts) over the Node IPC channel. The server process sends commands and the child
 * replies to each with one result event. While a phase runs, the child also sends window marks
 * so that the server samples its own CPU over exactly the measuring window.
 */

/** One device's identity: its client ID is its thing name. */
export interface DeviceCredentials {
  thingName: string;
  certPem: string;
  keyPem: string;
}

/**
 * Kind of traffic a phase sends: the report payload to a plain echo topic (`raw`), or Device
 * Defender reports from the whole fleet (`report`) or from a few devices at light load (`light`).
 */
export type PhaseKind = 'raw' | 'report' | 'light';

/** Commands from the server process to the load generator. */
export type ClientCommand =
  | {
      type: 'connect';
      mqttUrl: string;
      serverCaPem: string;
      devices: DeviceCredentials[];
      connectConcurrency: number;
    }
  | {
      type: 'run';
      phase: PhaseKind;
      /** How many of the connected devices take part, the first ones in connection order. */
      devices: number;
      inflight: number;
      /** Pause in ms between a round trip's end and the next publish. 0 keeps the loop saturated. */
      thinkMs: number;
      warmupMs: number;
      windowMs: number;
      drainTimeoutMs: number;
      violateEvery: number;
    }
  | { type: 'close' };

/** Outcome of one closed-loop phase, as seen by the devices. */
export interface PhaseResult {
  phase: PhaseKind;
  devices: number;
  inflight: number;
  thinkMs: number;
  windowMs: number;
  /** Round trips completed inside the window: report responses or echoes received. */
  completed: number;
  /** Reports answered on the rejected topic inside the window, by error code. */
  rejected: Record<string, number>;
  /** Answers whose report id was not the one the device expected next. */
  mismatched: number;
  /** Round trips still open when the drain timeout ended the phase. */
  unanswered: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  payloadBytes: number;
  /** CPU time the load generator used inside the window, as a share of one core. */
  clientCpuShare: number;
  /** Share of the window the load generator's event loop was busy. Near 1, it set the pace. */
  clientEventLoopUtilization: number;
}

/** Messages from the load generator to the server process. */
export type ClientEvent =
  | { type: 'connected'; devices: number; failed: number; connectMs: number; firstError?: string }
  | { type: 'window-start'; phase: PhaseKind }
  | { type: 'window-end'; phase: PhaseKind }
  | { type: 'phase-done'; result: PhaseResult }
  | { type: 'closed' }
  | { type: 'error'; message: string };
