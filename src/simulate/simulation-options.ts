/**
 * The options of `runSimulation`, their limits and defaults, checked before anything is
 * registered or connected, and the choice of each scenario's target devices.
 */

import type { WardenConnection } from '../client/warden-connection.ts';
import { checkBrokerUrl, checkLoopbackHost, type BrokerTarget } from './broker-target.ts';
import { thingNameFor } from './device-profile.ts';
import type { Scenario } from './scenario.ts';
import { findScenario, SCENARIOS } from './scenarios/index.ts';
import { SeededRandom } from './seeded-random.ts';
import type { SimulatedClock } from './simulated-clock.ts';
import { SimulationError } from './simulation-error.ts';

/** Bounds of a run, so a typo cannot start an unbounded load. */
export const LIMITS = {
  maxDevices: 1_000,
  maxDurationMs: 86_400_000,
  minTickIntervalMs: 100,
  maxTickIntervalMs: 3_600_000,
  maxSeed: 0xffff_ffff,
};

/** Real milliseconds between ticks when the caller gives none. */
export const DEFAULT_TICK_INTERVAL_MS = 1_000;

export interface SimulationOptions {
  connection: WardenConnection;
  broker: BrokerTarget;
  /** Devices in the fleet, 1 to `LIMITS.maxDevices`. */
  devices: number;
  /** Scenario names; none runs a clean fleet. */
  scenarios?: readonly string[];
  /** Devices each scenario acts on: a count (chosen by the seed) or thing names. Default 1. */
  targets?: number | readonly string[];
  /** Seed of every draw of the run, 0 to 2^32 - 1. */
  seed: number;
  /** Real milliseconds the run lasts. */
  durationMs: number;
  /** Real milliseconds between two reports of a device; Warden's minimum report interval must not be longer. */
  tickIntervalMs?: number;
  /** The fleet's simulated time; midnight UTC today with 5-minute steps by default. */
  clock?: SimulatedClock;
  /** Thing group the devices join. */
  thingGroup?: string;
  /** Ends the run early; connections are closed either way. */
  signal?: AbortSignal;
}

/**
 * Checks every option and returns the scenarios.
 * @throws SimulationError naming the option and the value
 */
export function checkSimulationOptions(options: SimulationOptions): Scenario[] {
  integerIn('devices', options.devices, 1, LIMITS.maxDevices);
  integerIn('seed', options.seed, 0, LIMITS.maxSeed);
  integerIn('durationMs', options.durationMs, 1, LIMITS.maxDurationMs);
  const interval = options.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS;
  integerIn('tickIntervalMs', interval, LIMITS.minTickIntervalMs, LIMITS.maxTickIntervalMs);
  checkLoopbackHost(
    new URL(options.connection.endpoint).hostname,
    options.connection.endpoint,
    'endpoint',
  );
  checkBrokerUrl(options.broker.url, 'broker.url');

  const scenarios = (options.scenarios ?? []).map((name) => {
    const scenario = findScenario(name);
    if (scenario === undefined) {
      const known = SCENARIOS.map((entry) => entry.name).join(', ');
      throw new SimulationError(`Unknown scenario "${name}": use one of ${known}`);
    }
    return scenario;
  });
  const duplicate = scenarios.find((scenario, index) => scenarios.indexOf(scenario) !== index);
  if (duplicate) throw new SimulationError(`Scenario "${duplicate.name}" is given more than once`);

  checkTargets(options.targets ?? 1, options.devices, options.seed);
  return scenarios;
}

function checkTargets(targets: number | readonly string[], devices: number, seed: number): void {
  if (typeof targets === 'number') {
    integerIn('targets', targets, 1, devices);
    return;
  }
  if (targets.length === 0)
    throw new SimulationError('Invalid targets: give at least one thing name');
  const names = new Set(
    Array.from({ length: devices }, (_, index) => thingNameFor(seed, index + 1)),
  );
  const seen = new Set<string>();
  for (const name of targets) {
    if (!names.has(name)) {
      throw new SimulationError(
        `Unknown target "${name}": the fleet of seed ${seed} has things ${thingNameFor(seed, 1)} to ${thingNameFor(seed, devices)}`,
      );
    }
    if (seen.has(name)) throw new SimulationError(`Target "${name}" is given more than once`);
    seen.add(name);
  }
}

function integerIn(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SimulationError(`Invalid ${option} "${value}": must be an integer ${min}-${max}`);
  }
}

/**
 * Chooses the devices a scenario acts on: the named ones, or `count` devices the seed picks for this
 * scenario, in fleet order. Account scenarios get none.
 */
export function chooseTargets<T extends { thingName: string }>(
  scenario: Scenario,
  devices: readonly T[],
  targets: number | readonly string[],
  seed: number,
): T[] {
  if (scenario.scope === 'account') return [];
  if (typeof targets !== 'number') {
    return devices.filter((device) => targets.includes(device.thingName));
  }
  const chosen = new Set(
    new SeededRandom(seed, ['targets', scenario.name]).sample(devices, targets),
  );
  return devices.filter((device) => chosen.has(device));
}
