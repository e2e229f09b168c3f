/**
 * The service half of the report path without MQTT or TLS: reports go straight into
 * `ReportIntake.submit` (decode, validate, evaluate, store with group commit) for the same
 * fleet and profile as run.ts, in a closed loop. The result is the service's own cost per
 * report, to set against the broker's cost that run.ts's raw phase measures, and to compare
 * code changes with less noise than the full run.
 *
 *   node --expose-gc --import tsx bench/reports/intake-run.ts [--things 1000 --inflight 1
 *     --window 10 --profile]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TestWarden } from '../../src/testing/harness.ts';
import { createSecurityProfile, createThings, deviceNames } from './fleet.ts';
import { formatSummary, summarizeProfile, type CpuProfile } from './profile-summary.ts';
import { FIRST_REPORT_ID, isViolating, reportPayload } from './report-payload.ts';
import { machineInfo } from './results.ts';
import { ServerProbe } from './server-probe.ts';
import { summarizeLatencies } from './stats.ts';
import { CommitProbe } from './store-probe.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const { values: args } = parseArgs({
  options: {
    things: { type: 'string', default: '1000' },
    inflight: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '2' },
    window: { type: 'string', default: '10' },
    'violate-every': { type: 'string', default: '50' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'results') },
  },
});

function wholeNumber(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Invalid --${name} "${text}": must be a whole number of at least 1`);
  }
  return value;
}

const config = {
  things: wholeNumber('things', args.things),
  inflight: wholeNumber('inflight', args.inflight),
  warmupMs: wholeNumber('warmup', args.warmup) * 1000,
  windowMs: wholeNumber('window', args.window) * 1000,
  violateEvery: Number(args['violate-every']),
};

interface LoopState {
  running: boolean;
  inWindow: boolean;
  completed: number;
  rejected: number;
  open: number;
  latencies: number[];
}

/** Keeps `inflight` reports open per thing until `state.running` turns false. */
function startLoop(warden: TestWarden, names: readonly string[], state: LoopState): void {
  const intake = warden.service.intake;
  const submitNext = (thingName: string, sequence: number, reportId: number) => {
    if (!state.running) return;
    const payload = Buffer.from(
      reportPayload(reportId, isViolating(sequence, config.violateEvery)),
    );
    const sentAt = performance.now();
    state.open++;
    void intake.submit(thingName, payload, 'json').then((answer) => {
      state.open--;
      if (state.inWindow) {
        state.completed++;
        state.latencies.push(performance.now() - sentAt);
        if (answer.status !== 'ACCEPTED') state.rejected++;
      }
      submitNext(thingName, sequence + config.inflight, reportId + config.inflight);
    });
  };
  for (const name of names) {
    for (let slot = 0; slot < config.inflight; slot++)
      submitNext(name, slot, FIRST_REPORT_ID + slot);
  }
}

async function main(): Promise<void> {
  const warden = await TestWarden.start({ minReportIntervalMs: 0 });
  try {
    const names = deviceNames(config.things);
    await createThings(warden, names, 8);
    await createSecurityProfile(warden);
    const commits = CommitProbe.attach(warden.service);
    const probe = new ServerProbe(
      () => warden.service.intake.stats.accepted,
      args.profile === true ? 500 : undefined,
      commits,
    );

    const state: LoopState = {
      running: true,
      inWindow: false,
      completed: 0,
      rejected: 0,
      open: 0,
      latencies: [],
    };
    startLoop(warden, names, state);
    await delay(config.warmupMs);
    await probe.start();
    state.inWindow = true;
    await delay(config.windowMs);
    state.inWindow = false;
    const { window, profile } = await probe.stop();
    state.running = false;
    for (let waited = 0; state.open > 0 && waited < 10_000; waited += 20) await delay(20);

    const result = {
      startedAt: new Date().toISOString(),
      machine: machineInfo(),
      config,
      reportsPerSecond: state.completed / (window.windowMs / 1000),
      cpuMicrosPerReport: (window.cpuShare * window.windowMs * 1000) / state.completed,
      rejected: state.rejected,
      latencyMs: summarizeLatencies(state.latencies),
      server: window,
    };
    await report(result, profile);
  } finally {
    await warden.stop();
  }
}

async function report(result: Record<string, unknown>, profile: unknown): Promise<void> {
  await mkdir(args.out, { recursive: true });
  const stamp = String(result['startedAt']).replace(/[:.]/g, '-');
  if (profile !== undefined) {
    const file = path.join(args.out, `intake-${stamp}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    console.log(formatSummary(summarizeProfile(profile as CpuProfile, 30), 30));
    console.log('');
  }
  await writeFile(path.join(args.out, `intake-${stamp}.json`), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
