/**
 * Runs a virtual fleet against a running Warden: registers it, connects every device, then on
 * each tick lets the started scenarios act, sends every device's report and telemetry, and moves
 * the simulated clock one step. Scenarios start halfway through, so each device first builds a
 * clean history. Connections are closed when the run ends, is aborted or fails.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { sourceAddresses } from './broker-target.ts';
import { forEachLimited } from './concurrency.ts';
import { normalEnvelope } from './device-profile.ts';
import { setupFleet, type Fleet } from './fleet-setup.ts';
import { normalSample } from './normal-behavior.ts';
import type { Scenario, ScenarioContext, ScenarioRun } from './scenario.ts';
import { SimulatedClock } from './simulated-clock.ts';
import { SimulationApi } from './simulation-api.ts';
import { SimulationError } from './simulation-error.ts';
import {
  checkSimulationOptions,
  chooseTargets,
  DEFAULT_TICK_INTERVAL_MS,
  type SimulationOptions,
} from './simulation-options.ts';
import type { ScenarioResult, SimulationResult } from './simulation-result.ts';
import type { VirtualDevice } from './virtual-device.ts';

/** Devices connecting or reporting at once. */
const DEVICE_CONCURRENCY = 32;
/** The maximum behavior window (`durationSeconds`) Device Defender allows, 3600 seconds. */
const MAX_WINDOW_MS = 3_600_000;

interface ActiveScenario {
  scenario: Scenario;
  run: ScenarioRun;
  targets: VirtualDevice[];
  result: ScenarioResult;
}

/**
 * Runs the simulation and resolves with what every device and scenario did.
 * @throws SimulationError for invalid options, a setup request Warden rejected, or a device that
 *   cannot connect
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const scenarios = checkSimulationOptions(options);
  const tickIntervalMs = options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS;
  const plannedTicks = Math.max(1, Math.floor(options.durationMs / tickIntervalMs));
  const clock = options.clock ?? new SimulatedClock();
  const simulatedStart = clock.now();
  const startedAt = Date.now();

  const startTick = Math.floor(plannedTicks / 2);
  const api = new SimulationApi(options.connection);
  const sources = sourceAddresses(options.broker.url);
  const fleet = await setupFleet({
    api,
    broker: options.broker,
    seed: options.seed,
    devices: options.devices,
    thingGroup: options.thingGroup,
    localAddress: sources.normal,
    reportIntervalMs: tickIntervalMs,
  });
  const context: ScenarioContext = {
    api,
    fleet,
    broker: options.broker,
    sources,
    seed: options.seed,
    envelope: normalEnvelope(),
    windowReports: Math.ceil(MAX_WINDOW_MS / tickIntervalMs),
    attackTicks: plannedTicks - startTick,
  };
  const active = scenarios.map((scenario) => activate(scenario, context, options, startTick));

  let completedTicks = 0;
  try {
    await connectFleet(fleet, simulatedStart);
    for (let tick = 0; tick < plannedTicks && options.signal?.aborted !== true; tick++) {
      // A tick that overran its interval delays the next one rather than shortening it.
      const tickStartedAt = Date.now();
      await runTick(tick, startTick, clock, active, fleet, options.seed);
      completedTicks++;
      clock.step();
      if (tick + 1 < plannedTicks) await pause(tickStartedAt + tickIntervalMs, options.signal);
    }
  } finally {
    for (const entry of active) await guarded(entry, () => entry.run.stop?.());
    await Promise.all(fleet.devices.map((device) => device.close()));
  }

  const result: SimulationResult = {
    seed: options.seed,
    startedAt,
    endedAt: Date.now(),
    plannedTicks,
    completedTicks,
    tickIntervalMs,
    simulatedStart,
    simulatedEnd: clock.now(),
    aborted: completedTicks < plannedTicks,
    caCertificateId: fleet.caCertificateId,
    policyName: fleet.policyName,
    devices: fleet.devices.map((device) => ({
      thingName: device.thingName,
      kind: device.profile.kind,
      certificateId: device.certificate.certificateId,
      scenarios: active
        .filter((entry) => entry.targets.includes(device))
        .map((entry) => entry.scenario.name),
      stats: device.stats,
    })),
    scenarios: active.map((entry) => ({ ...entry.result, actions: entry.run.actions() })),
    normal: { ...context.envelope, sourceCidrs: sources.normalCidrs },
  };
  if (fleet.thingGroup !== undefined) result.thingGroup = fleet.thingGroup;
  return result;
}

function activate(
  scenario: Scenario,
  context: ScenarioContext,
  options: SimulationOptions,
  startTick: number,
): ActiveScenario {
  const targets = chooseTargets(
    scenario,
    context.fleet.devices,
    options.targets ?? 1,
    options.seed,
  );
  return {
    scenario,
    targets,
    run: scenario.create(context, targets),
    result: {
      name: scenario.name,
      techniqueId: scenario.techniqueId,
      relatedTechniqueIds: [...scenario.relatedTechniqueIds],
      targets: targets.map((device) => device.thingName),
      startTick,
      startedAt: undefined,
      simulatedStartedAt: undefined,
      expectedSignal: scenario.expectedSignal,
      secondarySignals: [...scenario.secondarySignals],
      actions: [],
      errors: [],
    },
  };
}

/** Connects every device as its thing and publishes its retained state. */
async function connectFleet(fleet: Fleet, simulatedTime: number): Promise<void> {
  await forEachLimited(fleet.devices, DEVICE_CONCURRENCY, async (device) => {
    try {
      await device.connect();
    } catch (error) {
      throw new SimulationError(
        `Device "${device.thingName}" cannot connect to the broker: ${(error as Error).message}`,
        { cause: error },
      );
    }
    await device.publishState(simulatedTime);
  });
}

async function runTick(
  tick: number,
  startTick: number,
  clock: SimulatedClock,
  active: readonly ActiveScenario[],
  fleet: Fleet,
  seed: number,
): Promise<void> {
  const started = tick >= startTick ? active : [];
  const step = { tick, sinceStart: tick - startTick };
  for (const entry of started) {
    if (tick === startTick) {
      entry.result.startedAt = Date.now();
      entry.result.simulatedStartedAt = clock.now();
      await guarded(entry, () => entry.run.start?.());
    }
    await guarded(entry, () => entry.run.tick?.(step));
  }

  await forEachLimited(fleet.devices, DEVICE_CONCURRENCY, async (device) => {
    if (!(await device.reconnect())) return;
    const sample = normalSample(seed, device.profile, tick, clock.now());
    for (const entry of started) {
      if (entry.targets.includes(device)) entry.run.shapeSample?.(device, sample, step);
    }
    await device.sendSample(sample);
  });
}

/** Distinct error messages kept per scenario; a step failing on every tick repeats one. */
const MAX_ERRORS = 20;

/** Runs a scenario step, recording its error instead of ending the run. */
async function guarded(
  entry: ActiveScenario,
  step: () => Promise<void> | undefined,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    const errors = entry.result.errors;
    const message = (error as Error).message;
    if (!errors.includes(message) && errors.length < MAX_ERRORS) errors.push(message);
  }
}

/** Waits until the real time `until`, or until the signal aborts. */
async function pause(until: number, signal: AbortSignal | undefined): Promise<void> {
  const wait = until - Date.now();
  if (wait <= 0) return;
  try {
    await sleep(wait, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}
