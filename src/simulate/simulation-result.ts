/**
 * The result of a simulation run: per device what it sent and how Warden responded, per scenario
 * which devices it acted on, when, and which signal should follow, and the normal envelope to
 * size security profiles from.
 */

import type { DeviceKind, NormalEnvelope } from './device-profile.ts';
import type { ExpectedSignal } from './scenario.ts';
import type { DeviceStats } from './virtual-device.ts';

export interface DeviceResult {
  thingName: string;
  kind: DeviceKind;
  certificateId: string;
  /** Names of the scenarios that acted on this device. */
  scenarios: string[];
  stats: DeviceStats;
}

export interface ScenarioResult {
  name: string;
  techniqueId: string;
  relatedTechniqueIds: string[];
  /** Thing names the scenario acted on; empty for account scenarios. */
  targets: string[];
  startTick: number;
  /** Real epoch milliseconds of the start, or undefined when the run ended before it. */
  startedAt: number | undefined;
  /** Simulated epoch milliseconds of the start tick. */
  simulatedStartedAt: number | undefined;
  expectedSignal: ExpectedSignal;
  secondarySignals: ExpectedSignal[];
  actions: string[];
  /** Errors the scenario's steps raised, which the run caught and went on. */
  errors: string[];
}

/** The normal envelope with the source blocks of this run's broker. */
export interface RunEnvelope extends NormalEnvelope {
  sourceCidrs: string[];
}

export interface SimulationResult {
  seed: number;
  /** Real epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  plannedTicks: number;
  completedTicks: number;
  tickIntervalMs: number;
  /** Simulated epoch milliseconds of the first tick and of the tick after the last one. */
  simulatedStart: number;
  simulatedEnd: number;
  /** Whether the signal ended the run before its planned ticks. */
  aborted: boolean;
  caCertificateId: string;
  policyName: string;
  thingGroup?: string;
  devices: DeviceResult[];
  scenarios: ScenarioResult[];
  normal: RunEnvelope;
}
