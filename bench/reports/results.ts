import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ProfileSummary } from './profile-summary.ts';
import type { PhaseKind, PhaseResult } from './protocol.ts';
import type { MemorySnapshot, ServerWindow } from './server-probe.ts';
import type { CommitWindow } from './store-probe.ts';

/** Report rate Warden aims for on this benchmark, in accepted reports per second. */
export const TARGET_REPORTS_PER_SECOND = 10_000;
/** Ratio of report rate to raw publish rate Warden aims for on this benchmark. */
export const TARGET_RATIO = 0.5;
/**
 * Cores other processes may use in a window before the run is flagged as disturbed. The
 * benchmark needs both cores of a 2-core machine, so even a quarter core of other work shows.
 */
export const QUIET_OTHER_CORES = 0.25;

/** The machine the figures were measured on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

/** One phase as both sides saw it. */
export interface PhaseFigures {
  perSecond: number;
  /**
   * Server CPU time per completed round trip, in microseconds. Other load on the machine changes
   * it far less than the rate, so it is the figure to compare between runs and code changes.
   */
  serverCpuMicrosPerRoundTrip: number;
  client: PhaseResult;
  server: ServerWindow;
}

/** Everything one run measured, as written to bench/results/. */
export interface BenchResult {
  startedAt: string;
  machine: MachineInfo;
  config: Record<string, unknown>;
  setup: Record<string, number | string>;
  memory: {
    beforeConnect: MemorySnapshot;
    afterConnect: MemorySnapshot;
    afterLoad: MemorySnapshot;
    perDevice: MemorySnapshot;
  };
  raw: PhaseFigures;
  report: PhaseFigures;
  /** Report round trips of a few devices at light load, for the latency of an idle path. */
  light?: PhaseFigures;
  ratio: number;
  /** Max cores other processes used in any window. Above QUIET_OTHER_CORES the run is disturbed. */
  otherLoad: { maxCores: number; quiet: boolean };
  targets: {
    reportsPerSecond: number;
    ratio: number;
    reportsPerSecondMet: boolean;
    ratioMet: boolean;
  };
  profiles?: Partial<Record<PhaseKind, { file: string; summary: ProfileSummary }>>;
}

/** Reads the CPU model from /proc/cpuinfo, falling back to what `os.cpus()` reports. */
export function machineInfo(): MachineInfo {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('model name'));
    if (line) cpuModel = line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: keep the os.cpus() model.
  }
  return {
    cpuModel,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Combines a phase's client result and server window into its figures. */
export function phaseFigures(client: PhaseResult, server: ServerWindow): PhaseFigures {
  const cpuMicros = server.cpuShare * server.windowMs * 1000;
  return {
    perSecond: client.completed / (client.windowMs / 1000),
    serverCpuMicrosPerRoundTrip: client.completed > 0 ? cpuMicros / client.completed : NaN,
    client,
    server,
  };
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
const pct = (value: number) => `${(value * 100).toFixed(0)} %`;

function rejectedCodes(phase: PhaseFigures): string {
  const codes = Object.entries(phase.client.rejected).map(([code, count]) => `${code}=${count}`);
  return codes.join(' ') || '0';
}

/** Cores that processes other than the server and the load generator used in the window. */
export function otherCores(phase: PhaseFigures): number {
  const ours = phase.server.cpuShare + phase.client.clientCpuShare;
  return Math.max(0, phase.server.machineBusyCores - ours);
}

function commitFigure(phase: PhaseFigures, show: (commits: CommitWindow) => string): string {
  const commits = phase.server.commits;
  return commits ? show(commits) : 'n/a';
}

/** The table's rows: a label and how to show one phase's value. */
const ROWS: [string, (phase: PhaseFigures) => string][] = [
  ['devices x in flight', (phase) => `${phase.client.devices} x ${phase.client.inflight}`],
  ['pause after each response ms', (phase) => String(phase.client.thinkMs)],
  ['round trips per second', (phase) => rate(phase.perSecond)],
  ['completed in window', (phase) => rate(phase.client.completed)],
  ['latency p50 ms', (phase) => ms(phase.client.latencyMs.p50)],
  ['latency p90 ms', (phase) => ms(phase.client.latencyMs.p90)],
  ['latency p99 ms', (phase) => ms(phase.client.latencyMs.p99)],
  ['latency max ms', (phase) => ms(phase.client.latencyMs.max)],
  ['server CPU (one core = 100 %)', (phase) => pct(phase.server.cpuShare)],
  ['server CPU us per round trip', (phase) => phase.serverCpuMicrosPerRoundTrip.toFixed(0)],
  ['server event loop busy', (phase) => pct(phase.server.eventLoopUtilization)],
  ['load generator CPU', (phase) => pct(phase.client.clientCpuShare)],
  ['load generator event loop busy', (phase) => pct(phase.client.clientEventLoopUtilization)],
  ['other processes CPU (cores)', (phase) => otherCores(phase).toFixed(2)],
  ['rejected reports', (phase) => (phase.client.phase === 'raw' ? '-' : rejectedCodes(phase))],
  ['responses with an unexpected id', (phase) => String(phase.client.mismatched)],
  ['round trips still open after drain', (phase) => String(phase.client.unanswered)],
  ['accepted by intake in window', (phase) => rate(phase.server.acceptedReports)],
  [
    'SQLite commits per second',
    (phase) => commitFigure(phase, (c) => rate(c.commits / (phase.server.windowMs / 1000))),
  ],
  ['writes per commit', (phase) => commitFigure(phase, (c) => c.writesPerCommit.toFixed(1))],
  [
    'commit ms mean / p99',
    (phase) =>
      commitFigure(phase, (c) => `${c.meanCommitMs.toFixed(2)} / ${c.p99CommitMs.toFixed(2)}`),
  ],
  ['time with a commit in progress', (phase) => commitFigure(phase, (c) => pct(c.windowShare))],
];

/** Formats the run as a plain-text table for the terminal. */
export function formatTable(result: BenchResult): string {
  const { memory } = result;
  const phases: [string, PhaseFigures][] = [
    ['raw publish (echo)', result.raw],
    ['report -> ACCEPTED', result.report],
  ];
  if (result.light) phases.push(['light load report', result.light]);
  const rows = [
    ['', ...phases.map(([title]) => title)],
    ...ROWS.map(([label, show]) => [label, ...phases.map(([, phase]) => show(phase))]),
  ];
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  const lines = rows.map((row) =>
    row
      .map((cell, column) => {
        const width = widths?.[column] ?? 0;
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  '),
  );

  const perDevice = memory.perDevice;
  const met = (flag: boolean) => (flag ? 'met' : 'NOT met');
  lines.push('');
  if (!result.otherLoad.quiet) {
    const cores = result.otherLoad.maxCores.toFixed(2);
    lines.push(
      `WARNING: other processes used up to ${cores} cores during a window: the figures are low and the ratio is unreliable; run again on an idle machine`,
    );
  }
  lines.push(
    `ratio report/raw: ${result.ratio.toFixed(3)} (target ${TARGET_RATIO}: ${met(result.targets.ratioMet)})`,
    `reports per second: ${rate(result.report.perSecond)} (target ${rate(TARGET_REPORTS_PER_SECOND)}: ${met(result.targets.reportsPerSecondMet)})`,
    `memory per connected device: RSS ${kib(perDevice.rss)}, heap ${kib(perDevice.heapUsed)}, external ${kib(perDevice.external)}`,
    `server RSS: ${mib(memory.beforeConnect.rss)} before connecting, ${mib(memory.afterConnect.rss)} connected, ${mib(memory.afterLoad.rss)} after the load`,
  );
  return lines.join('\n');
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
