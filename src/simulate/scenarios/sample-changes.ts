/**
 * Changes scenarios make to a device's report sample: extra traffic, with the packets it takes,
 * and extra established connections.
 */

import type { DeviceSample } from '../normal-behavior.ts';

/** Payload bytes per TCP segment on Ethernet with a 1500-byte MTU (IPv4, timestamps option). */
export const SEGMENT_BYTES = 1448;

/** Adds outgoing (and optionally incoming) bytes, and the segments they take, to the counters. */
export function addTraffic(sample: DeviceSample, bytesOut: number, bytesIn = 0): void {
  const traffic = sample.traffic;
  traffic.bytesOut += bytesOut;
  traffic.packetsOut += Math.ceil(bytesOut / SEGMENT_BYTES);
  traffic.bytesIn += bytesIn;
  // Each outgoing segment is acknowledged, and each incoming one takes a segment.
  traffic.packetsIn += Math.ceil(bytesOut / SEGMENT_BYTES / 2) + Math.ceil(bytesIn / SEGMENT_BYTES);
}

/** Adds established connections to `remotes`, with local ports counting up from `firstLocalPort`. */
export function addConnections(
  sample: DeviceSample,
  remotes: readonly string[],
  firstLocalPort: number,
): void {
  remotes.forEach((remoteAddr, offset) =>
    sample.connections.push({ localPort: firstLocalPort + offset, remoteAddr }),
  );
}

/** Tells whether a step is one of the first `ticks` ticks from the scenario's start. */
export function inBurst(sinceStart: number, ticks: number): boolean {
  return sinceStart >= 0 && sinceStart < ticks;
}
