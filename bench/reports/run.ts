/**
 * The report-path benchmark. This process runs Warden (broker, intake, detect, SQLite) and
 * measures it, while a child process (load-client.ts) runs the devices. The run connects the
 * fleet over mutual TLS and measures a plain QoS 1 echo round trip, then a report round trip.
 * Both run in closed loops with the same clients and payload. A last phase measures the report
 * round trip of a few devices at light load. The figures are printed and stored as JSON.
 *
 *   npm run bench [-- --devices 1000 --inflight 1 --window 10 --profile --profile-phase both]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TestWarden } from '../../src/testing/harness.ts';
import { CommitProbe } from './store-probe.ts';
import { LoadClientProcess } from './client-process.ts';
import { createFleet, createSecurityProfile } from './fleet.ts';
import { formatSummary, summarizeProfile, type CpuProfile } from './profile-summary.ts';
import type { PhaseKind, PhaseResult } from './protocol.ts';
import {
  formatTable,
  machineInfo,
  otherCores,
  phaseFigures,
  QUIET_OTHER_CORES,
  TARGET_RATIO,
  TARGET_REPORTS_PER_SECOND,
  type BenchResult,
  type PhaseFigures,
} from './results.ts';
import { memoryPerItem, ServerProbe, settledMemory, type ServerWindow } from './server-probe.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const { values: args } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    inflight: { type: 'string', default: '1' },
    'light-devices': { type: 'string', default: '10' },
    'light-think-ms': { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
    window: { type: 'string', default: '10' },
    'violate-every': { type: 'string', default: '50' },
    'connect-concurrency': { type: 'string', default: '50' },
    'shared-cert': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'profile-phase': { type: 'string', default: 'report' },
    'profile-interval-us': { type: 'string', default: '500' },
    out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results') },
  },
});

function positiveInt(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`Invalid --${name} "${text}": must be a whole number`);
  }
  return value;
}

const config = {
  devices: Math.max(1, positiveInt('devices', args.devices)),
  inflight: Math.max(1, positiveInt('inflight', args.inflight)),
  lightDevices: positiveInt('light-devices', args['light-devices']),
  lightThinkMs: positiveInt('light-think-ms', args['light-think-ms']),
  warmupMs: positiveInt('warmup', args.warmup) * 1000,
  windowMs: Math.max(1, positiveInt('window', args.window)) * 1000,
  violateEvery: positiveInt('violate-every', args['violate-every']),
  connectConcurrency: Math.max(1, positiveInt('connect-concurrency', args['connect-concurrency'])),
  sharedCertificate: args['shared-cert'] === true,
  profile: args.profile === true,
  profilePhases: profilePhases(args['profile-phase']),
  profileIntervalUs: positiveInt('profile-interval-us', args['profile-interval-us']),
  drainTimeoutMs: 10_000,
  qos: 1,
  clients: 'one child process (mqtt.js 5), server and broker in this process',
};

function profilePhases(text: string | undefined): PhaseKind[] {
  if (text === 'raw' || text === 'report' || text === 'light') return [text];
  if (text === 'both') return ['raw', 'report'];
  throw new Error(`Invalid --profile-phase "${text}": must be raw, report, light or both`);
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Runs one phase, sampling the server over exactly the window the clients measure. */
async function runPhase(
  client: LoadClientProcess,
  windows: WindowProbes,
  warden: TestWarden,
  commits: CommitProbe | undefined,
  phase: PhaseKind,
  devices: number,
  inflight: number,
  thinkMs = 0,
): Promise<PhaseFigures> {
  const probe = new ServerProbe(
    () => warden.service.intake.stats.accepted,
    config.profile && config.profilePhases.includes(phase) ? config.profileIntervalUs : undefined,
    commits,
  );
  windows.arm(phase, probe);
  const timeoutMs = config.warmupMs + config.windowMs + config.drainTimeoutMs + 15_000;
  const done = await client.request(
    {
      type: 'run',
      phase,
      devices,
      inflight,
      thinkMs,
      warmupMs: config.warmupMs,
      windowMs: config.windowMs,
      drainTimeoutMs: config.drainTimeoutMs,
      violateEvery: config.violateEvery,
    },
    'phase-done',
    timeoutMs,
  );
  const server = await windows.result(phase);
  return phaseFigures(done.result as PhaseResult, server.window);
}

/** Starts and stops each phase's server probe on the window marks from the load generator. */
class WindowProbes {
  private readonly probes = new Map<PhaseKind, ServerProbe>();
  private readonly started = new Map<PhaseKind, Promise<void>>();
  private readonly stopped = new Map<PhaseKind, ReturnType<ServerProbe['stop']>>();
  readonly profiles = new Map<PhaseKind, unknown>();

  arm(phase: PhaseKind, probe: ServerProbe): void {
    this.probes.set(phase, probe);
  }

  onWindowStart(phase: PhaseKind): void {
    const probe = this.probes.get(phase);
    if (probe) this.started.set(phase, probe.start());
  }

  onWindowEnd(phase: PhaseKind): void {
    const probe = this.probes.get(phase);
    const started = this.started.get(phase);
    if (probe && started)
      this.stopped.set(
        phase,
        started.then(() => probe.stop()),
      );
  }

  async result(phase: PhaseKind): Promise<{ window: ServerWindow }> {
    const stopped = this.stopped.get(phase);
    if (!stopped) throw new Error(`No measuring window was marked for phase "${phase}"`);
    const outcome = await stopped;
    if (outcome.profile !== undefined) this.profiles.set(phase, outcome.profile);
    return outcome;
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const began = performance.now();
  const machine = machineInfo();
  const loadAverage = os.loadavg()[0] ?? NaN;
  log(`${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`);
  if (loadAverage > 0.5)
    log(`load average ${loadAverage.toFixed(2)} before the run: other work will lower the figures`);

  const warden = await TestWarden.start({ minReportIntervalMs: 0 });
  const windows = new WindowProbes();
  const commits = CommitProbe.attach(warden.service);
  if (!commits) log('cannot reach the service BatchWriter: commit figures are left out');
  let client: LoadClientProcess | undefined;
  try {
    log(`issuing and registering ${config.devices} devices`);
    const fleet = await createFleet(warden, {
      count: config.devices,
      sharedCertificate: config.sharedCertificate,
      registrationConcurrency: 8,
    });
    const behaviors = await createSecurityProfile(warden);
    log(
      `certificates ${fleet.certificateMs.toFixed(0)} ms, registration ${fleet.registrationMs.toFixed(0)} ms`,
    );

    client = LoadClientProcess.start(windows, REPO_ROOT);
    const beforeConnect = await settledMemory();
    const connected = await client.request(
      {
        type: 'connect',
        mqttUrl: warden.endpoints.mqtt,
        serverCaPem: warden.serverCaPem,
        devices: fleet.devices,
        connectConcurrency: config.connectConcurrency,
      },
      'connected',
      120_000,
    );
    if (connected.failed > 0)
      throw new Error(
        `${connected.failed} devices failed to connect, first: ${connected.firstError}`,
      );
    log(
      `connected and subscribed ${connected.devices} devices in ${connected.connectMs.toFixed(0)} ms`,
    );
    const afterConnect = await settledMemory();

    const timing = `${config.warmupMs / 1000} s warm-up, ${config.windowMs / 1000} s window`;
    const fleetSize = connected.devices;
    log(`raw phase: ${fleetSize} devices, ${timing}`);
    const raw = await runPhase(client, windows, warden, commits, 'raw', fleetSize, config.inflight);
    log(`report phase: ${fleetSize} devices, ${timing}`);
    const report = await runPhase(
      client,
      windows,
      warden,
      commits,
      'report',
      fleetSize,
      config.inflight,
    );
    const lightDevices = Math.min(config.lightDevices, fleetSize);
    let light: PhaseFigures | undefined;
    if (lightDevices > 0) {
      const pause = config.lightThinkMs;
      log(`light phase: ${lightDevices} devices, one report each, ${pause} ms pause, ${timing}`);
      light = await runPhase(client, windows, warden, commits, 'light', lightDevices, 1, pause);
    }
    const afterLoad = await settledMemory();
    await client.request({ type: 'close' }, 'closed', 30_000);

    const ratio = report.perSecond / raw.perSecond;
    const result: BenchResult = {
      startedAt: startedAt.toISOString(),
      machine,
      config: { ...config, behaviors: behaviors.length, dataDir: 'os.tmpdir()' },
      setup: {
        certificates: fleet.certificates,
        certificateMs: fleet.certificateMs,
        registrationMs: fleet.registrationMs,
        connectMs: connected.connectMs,
        connectedDevices: connected.devices,
        loadAverageBeforeRun: loadAverage,
      },
      memory: {
        beforeConnect,
        afterConnect,
        afterLoad,
        perDevice: memoryPerItem(beforeConnect, afterConnect, connected.devices),
      },
      raw,
      report,
      ...(light ? { light } : {}),
      ratio,
      otherLoad: otherLoadOf([raw, report, ...(light ? [light] : [])]),
      targets: {
        reportsPerSecond: TARGET_REPORTS_PER_SECOND,
        ratio: TARGET_RATIO,
        reportsPerSecondMet: report.perSecond >= TARGET_REPORTS_PER_SECOND,
        ratioMet: ratio >= TARGET_RATIO,
      },
    };
    await writeResults(result, windows.profiles, startedAt);
    console.log(formatTable(result));
    log(`finished in ${((performance.now() - began) / 1000).toFixed(1)} s`);
  } finally {
    client?.kill();
    await warden.stop();
  }
}

function otherLoadOf(phases: PhaseFigures[]): BenchResult['otherLoad'] {
  const maxCores = Math.max(...phases.map((phase) => otherCores(phase)));
  return { maxCores, quiet: !(maxCores > QUIET_OTHER_CORES) };
}

async function writeResults(
  result: BenchResult,
  profiles: Map<PhaseKind, unknown>,
  startedAt: Date,
): Promise<void> {
  await mkdir(args.out, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  for (const [phase, profile] of profiles) {
    const file = path.join(args.out, `report-path-${stamp}-${phase}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    const summary = summarizeProfile(profile as CpuProfile, 40);
    result.profiles ??= {};
    result.profiles[phase] = { file: path.relative(REPO_ROOT, file), summary };
    console.log(
      `CPU profile of the server during the ${phase} window (${path.relative(REPO_ROOT, file)})`,
    );
    console.log(formatSummary(summary, 25));
    console.log('');
  }
  const json = JSON.stringify(result, null, 2) + '\n';
  await writeFile(path.join(args.out, `report-path-${stamp}.json`), json);
  await writeFile(path.join(args.out, 'report-path-latest.json'), json);
  log(`results written to ${path.relative(REPO_ROOT, args.out)}/report-path-${stamp}.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
