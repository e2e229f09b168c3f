/**
 * The shape of an adversary-emulation scenario: one ATT&CK technique played on chosen devices
 * (or on the account), and the Warden signal it should raise. Scenarios act halfway through the
 * run, after every device has a clean history.
 */

import type { BrokerTarget, SourceAddresses } from './broker-target.ts';
import type { NormalEnvelope } from './device-profile.ts';
import type { Fleet } from './fleet-setup.ts';
import type { DeviceSample } from './normal-behavior.ts';
import type { SimulationApi } from './simulation-api.ts';
import type { VirtualDevice } from './virtual-device.ts';

/**
 * A Warden signal: a Rules Detect violation of a behavior on `metric`, or an audit finding of
 * `checkName`.
 */
export type ExpectedSignal =
  { kind: 'violation'; metric: string } | { kind: 'finding'; checkName: string };

/** The services and facts a scenario may use while it runs. */
export interface ScenarioContext {
  api: SimulationApi;
  fleet: Fleet;
  broker: BrokerTarget;
  sources: SourceAddresses;
  seed: number;
  envelope: NormalEnvelope;
  /**
   * Reports a device sends in the maximum behavior window (3600 s of real time) at the run's tick
   * interval. Warden sums device counters over a window, so extra traffic of twice this many
   * times the per-report bound outweighs every clean window, however long the profile's is.
   */
  windowReports: number;
  /** Ticks from the scenario's start to the end of the run, the start tick included. */
  attackTicks: number;
}

/** A tick's position, also relative to the scenario's start. */
export interface ScenarioStep {
  tick: number;
  /** 0 at the start tick. */
  sinceStart: number;
}

/** One scenario's state for one run. Every hook is optional. */
export interface ScenarioRun {
  /** Acts once at the start tick, before the devices' traffic of that tick. */
  start?(): Promise<void>;
  /** Acts on each tick from the start tick on, before the devices' traffic. */
  tick?(step: ScenarioStep): Promise<void>;
  /** Changes a target's report sample on each tick from the start tick on. */
  shapeSample?(device: VirtualDevice, sample: DeviceSample, step: ScenarioStep): void;
  /** Closes the connections the scenario opened. Registry changes stay for the audit. */
  stop?(): Promise<void>;
  /** Lines saying what the scenario did, for the run's summary. */
  actions(): string[];
}

/** A scenario module. */
export interface Scenario {
  name: string;
  /** The ATT&CK technique the scenario plays. */
  techniqueId: string;
  /** Techniques or sub-techniques the same actions also show. */
  relatedTechniqueIds: readonly string[];
  /** One sentence on what the scenario does. */
  summary: string;
  /**
   * The signal the audit, or a profile sized from the normal envelope, raises.
   * NOTE: scenarios that send real MQTT traffic use fixed volumes per tick (bulk-cloud-read
   * receives ten rounds of every device's state). So a run much shorter than the behavior's
   * window may stay under a threshold of the clean per-tick maximum times the ticks in it.
   */
  expectedSignal: ExpectedSignal;
  /** Signals that may also fire, depending on the profile's thresholds. */
  secondarySignals: readonly ExpectedSignal[];
  /** `account` scenarios change account settings and take no target devices. */
  scope: 'devices' | 'account';
  create(context: ScenarioContext, targets: readonly VirtualDevice[]): ScenarioRun;
}

/** Formats a signal for the summary, e.g. `violation aws:all-bytes-out`. */
export function describeSignal(signal: ExpectedSignal): string {
  return signal.kind === 'violation' ? `violation ${signal.metric}` : `finding ${signal.checkName}`;
}
