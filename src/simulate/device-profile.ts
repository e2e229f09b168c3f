/**
 * The normal behavior of each virtual device: its kind, listening ports, usual peers and traffic
 * rates, all drawn from the run's seed and the device's index. Addresses are data in the reports
 * only: documentation ranges (RFC 5737) and a private LAN range that the simulation never opens a
 * socket to.
 */

import { SeededRandom } from './seeded-random.ts';

/** Device classes with distinct traffic shapes. */
export type DeviceKind = 'sensor' | 'camera' | 'gateway';

/** Traffic counters of one report, the `network_stats` block of a Device Defender report. */
export interface TrafficCounters {
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
}

/** One device's normal behavior; the generator varies it by time of day and tick. */
export interface DeviceProfile {
  index: number;
  thingName: string;
  kind: DeviceKind;
  listeningTcpPorts: number[];
  listeningUdpPorts: number[];
  /** `remote_addr` of the connections the device always keeps open. */
  peers: string[];
  /** Extra connection a camera opens while its traffic is high (upload), or none. */
  busyPeer?: string;
  /** Counters per simulated 5-minute step at the device's daily peak. */
  peakTraffic: TrafficCounters;
  /** Telemetry messages published per step. */
  telemetryPerStep: number;
  /** Simulated hour (0-24, UTC) at which the device's traffic peaks. */
  peakHour: number;
}

/** The cloud endpoint every device keeps a connection to, as the reports show it. */
export const CLOUD_PEER = '198.51.100.10:8883';
/** Upload service of the cameras. */
export const UPLOAD_PEER = '198.51.100.20:443';
/** Address blocks every normal connection stays in. */
export const NORMAL_DESTINATION_CIDRS = ['198.51.100.0/24', '10.20.0.0/16'];

interface KindShape {
  tcp: number[];
  udp: number[];
  peak: TrafficCounters;
  telemetry: [min: number, max: number];
  /** Field devices a gateway keeps a Modbus/TCP connection to. */
  lanPeers: [min: number, max: number];
  /** Whether the device opens an upload connection while its traffic is high. */
  uploads: boolean;
}

const KINDS: Record<DeviceKind, KindShape> = {
  sensor: {
    tcp: [22],
    udp: [],
    peak: { bytesIn: 12_000, bytesOut: 24_000, packetsIn: 160, packetsOut: 200 },
    telemetry: [1, 1],
    lanPeers: [0, 0],
    uploads: false,
  },
  camera: {
    tcp: [22, 80, 554],
    udp: [5353],
    peak: { bytesIn: 240_000, bytesOut: 6_000_000, packetsIn: 2_400, packetsOut: 4_500 },
    telemetry: [1, 2],
    lanPeers: [0, 0],
    uploads: true,
  },
  gateway: {
    tcp: [22, 443, 1883],
    udp: [53, 5353],
    peak: { bytesIn: 900_000, bytesOut: 600_000, packetsIn: 1_800, packetsOut: 1_500 },
    telemetry: [2, 3],
    lanPeers: [2, 4],
    uploads: false,
  },
};

const KIND_WEIGHTS: readonly DeviceKind[] = ['sensor', 'sensor', 'sensor', 'camera', 'gateway'];

/** Range of the per-device factor applied to its kind's peak traffic. */
export const DEVICE_SCALE = { min: 0.8, max: 1.2 };
/** Range of the per-report noise factor. */
export const REPORT_NOISE = { min: 0.9, max: 1.1 };

/** Thing name of device `index` (1-based) of the fleet with this seed, e.g. `sim-7-0003`. */
export function thingNameFor(seed: number, index: number): string {
  return `sim-${seed}-${String(index).padStart(4, '0')}`;
}

/** Draws the profile of device `index` (1-based) from the seed. */
export function deviceProfile(seed: number, index: number): DeviceProfile {
  const random = new SeededRandom(seed, ['profile', index]);
  const kind = random.pick(KIND_WEIGHTS);
  const shape = KINDS[kind];
  const scale = random.between(DEVICE_SCALE.min, DEVICE_SCALE.max);

  const peers = [CLOUD_PEER];
  const lanPeers = random.integer(...shape.lanPeers);
  for (let peer = 1; peer <= lanPeers; peer++) {
    peers.push(`10.20.${index % 250}.${10 + peer}:502`);
  }

  const profile: DeviceProfile = {
    index,
    thingName: thingNameFor(seed, index),
    kind,
    listeningTcpPorts: [...shape.tcp],
    listeningUdpPorts: [...shape.udp],
    peers,
    peakTraffic: scaleCounters(shape.peak, scale),
    telemetryPerStep: random.integer(...shape.telemetry),
    peakHour: random.between(0, 24),
  };
  if (shape.uploads) profile.busyPeer = UPLOAD_PEER;
  return profile;
}

function scaleCounters(counters: TrafficCounters, factor: number): TrafficCounters {
  return {
    bytesIn: Math.round(counters.bytesIn * factor),
    bytesOut: Math.round(counters.bytesOut * factor),
    packetsIn: Math.round(counters.packetsIn * factor),
    packetsOut: Math.round(counters.packetsOut * factor),
  };
}

/**
 * Bounds that every clean device stays within, per report (one simulated step) or per tick, to
 * size the behaviors of a security profile. Warden sums the delta counters of every report in a
 * behavior's `durationSeconds` of real time, so a counter threshold must be the per-report bound
 * times the reports a device sends in that window.
 */
export interface NormalEnvelope {
  listeningTcpPorts: number[];
  listeningUdpPorts: number[];
  destinationCidrs: string[];
  maxListeningTcpPorts: number;
  maxListeningUdpPorts: number;
  maxEstablishedConnections: number;
  maxPerReport: TrafficCounters;
  /** Largest MQTT payload a clean device publishes (reports included), in bytes. */
  maxMessageBytes: number;
  /** Messages a clean device publishes per tick: one report, its telemetry and, on the first tick, its retained state. */
  maxMessagesSentPerTick: number;
  /** Messages a clean device receives per tick: the response to its report. */
  maxMessagesReceivedPerTick: number;
}

/** Largest telemetry payload the generator writes; a test checks it. */
export const MAX_TELEMETRY_BYTES = 400;
/** Largest clean report payload; a test checks it against the biggest gateway. */
export const MAX_REPORT_BYTES = 1_500;

/** Computes the envelope of every device any seed can draw. */
export function normalEnvelope(): NormalEnvelope {
  const shapes = Object.values(KINDS);
  // The generator's largest value: the kind's peak at the top device scale, then the top noise.
  const bound = (pick: (shape: KindShape) => number) =>
    Math.max(
      ...shapes.map((shape) =>
        Math.round(Math.round(pick(shape) * DEVICE_SCALE.max) * REPORT_NOISE.max),
      ),
    );
  const union = (pick: (shape: KindShape) => number[]) =>
    [...new Set(shapes.flatMap(pick))].sort((a, b) => a - b);
  return {
    listeningTcpPorts: union((shape) => shape.tcp),
    listeningUdpPorts: union((shape) => shape.udp),
    destinationCidrs: [...NORMAL_DESTINATION_CIDRS],
    maxListeningTcpPorts: Math.max(...shapes.map((shape) => shape.tcp.length)),
    maxListeningUdpPorts: Math.max(...shapes.map((shape) => shape.udp.length)),
    // The cloud connection, the LAN peers and the upload connection.
    maxEstablishedConnections: Math.max(
      ...shapes.map((shape) => 1 + shape.lanPeers[1] + (shape.uploads ? 1 : 0)),
    ),
    maxPerReport: {
      bytesIn: bound((shape) => shape.peak.bytesIn),
      bytesOut: bound((shape) => shape.peak.bytesOut),
      packetsIn: bound((shape) => shape.peak.packetsIn),
      packetsOut: bound((shape) => shape.peak.packetsOut),
    },
    maxMessageBytes: Math.max(MAX_TELEMETRY_BYTES, MAX_REPORT_BYTES),
    maxMessagesSentPerTick: 1 + Math.max(...shapes.map((shape) => shape.telemetry[1])) + 1,
    maxMessagesReceivedPerTick: 1,
  };
}
