/**
 * The clean traffic of one virtual device for one simulated step: the numbers of its Device
 * Defender report and the telemetry it publishes. Values follow a daily curve around the
 * device's peak hour with a little per-report noise, and depend only on the seed, the profile,
 * the tick and the simulated time.
 */

import { REPORT_NOISE, type DeviceProfile, type TrafficCounters } from './device-profile.ts';
import { SeededRandom } from './seeded-random.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Lowest and highest value of the daily traffic factor. */
export const DAY_FACTOR = { min: 0.15, max: 1 };
/** The daily factor above which a camera keeps its upload connection open. */
const UPLOAD_THRESHOLD = 0.5;

/** An established TCP connection as the report lists it. */
export interface ReportedConnection {
  localPort: number;
  remoteAddr: string;
}

/** The traffic of one device in one step, which scenarios change before it is sent. */
export interface DeviceSample {
  tick: number;
  /** Simulated epoch milliseconds of the step. */
  simulatedTime: number;
  traffic: TrafficCounters;
  listeningTcpPorts: number[];
  listeningUdpPorts: number[];
  connections: ReportedConnection[];
  /** Telemetry payloads (JSON text) to publish this step. */
  telemetry: string[];
  /** Set by a scenario whose device's agent is stopped: no report this step, telemetry goes on. */
  skipReport?: boolean;
}

/**
 * Returns the traffic factor at a simulated time: a cosine over the day, `DAY_FACTOR.max` at the peak
 * hour and `DAY_FACTOR.min` twelve hours away from it.
 */
export function dayFactor(simulatedTime: number, peakHour: number): number {
  const hour = (((simulatedTime % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  const middle = (DAY_FACTOR.max + DAY_FACTOR.min) / 2;
  const amplitude = (DAY_FACTOR.max - DAY_FACTOR.min) / 2;
  return middle + amplitude * Math.cos((2 * Math.PI * (hour - peakHour)) / 24);
}

/** Generates the clean sample of `profile` for `tick` at `simulatedTime`. */
export function normalSample(
  seed: number,
  profile: DeviceProfile,
  tick: number,
  simulatedTime: number,
): DeviceSample {
  const random = new SeededRandom(seed, ['sample', profile.index, tick]);
  const factor = dayFactor(simulatedTime, profile.peakHour);
  const vary = (peak: number) =>
    Math.round(peak * factor * random.between(REPORT_NOISE.min, REPORT_NOISE.max));
  const traffic: TrafficCounters = {
    bytesIn: vary(profile.peakTraffic.bytesIn),
    bytesOut: vary(profile.peakTraffic.bytesOut),
    packetsIn: vary(profile.peakTraffic.packetsIn),
    packetsOut: vary(profile.peakTraffic.packetsOut),
  };

  const remotes = [...profile.peers];
  if (profile.busyPeer !== undefined && factor > UPLOAD_THRESHOLD) remotes.push(profile.busyPeer);
  const connections = remotes.map((remoteAddr) => ({
    localPort: ephemeralPort(seed, profile.index, remoteAddr),
    remoteAddr,
  }));

  return {
    tick,
    simulatedTime,
    traffic,
    listeningTcpPorts: [...profile.listeningTcpPorts],
    listeningUdpPorts: [...profile.listeningUdpPorts],
    connections,
    telemetry: telemetryPayloads(profile, tick, simulatedTime, factor, random),
  };
}

/** Returns the local port of a long-lived connection, fixed per device and peer, in the IANA dynamic range. */
export function ephemeralPort(seed: number, index: number, remoteAddr: string): number {
  return new SeededRandom(seed, ['local-port', index, remoteAddr]).integer(49152, 65535);
}

function telemetryPayloads(
  profile: DeviceProfile,
  tick: number,
  simulatedTime: number,
  factor: number,
  random: SeededRandom,
): string[] {
  const payloads: string[] = [];
  for (let message = 0; message < profile.telemetryPerStep; message++) {
    payloads.push(
      JSON.stringify({
        thingName: profile.thingName,
        sequence: tick * profile.telemetryPerStep + message,
        time: new Date(simulatedTime).toISOString(),
        ...readings(profile, factor, random),
      }),
    );
  }
  return payloads;
}

function readings(
  profile: DeviceProfile,
  factor: number,
  random: SeededRandom,
): Record<string, number> {
  const round = (value: number) => Math.round(value * 10) / 10;
  switch (profile.kind) {
    case 'sensor':
      return {
        temperatureC: round(14 + 10 * factor + random.between(-0.5, 0.5)),
        humidityPercent: round(70 - 25 * factor + random.between(-2, 2)),
      };
    case 'camera':
      return {
        framesPerSecond: factor > UPLOAD_THRESHOLD ? 25 : 10,
        motionEvents: random.integer(0, Math.round(6 * factor)),
      };
    case 'gateway':
      return {
        fieldDevices: profile.peers.length - 1,
        queueDepth: random.integer(0, Math.round(40 * factor)),
        cpuPercent: round(10 + 30 * factor + random.between(-3, 3)),
      };
  }
}
