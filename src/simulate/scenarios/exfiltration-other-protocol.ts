/**
 * T1048 Exfiltration Over Alternative Protocol: the device uploads a large volume to an outside
 * FTP server. Nothing changes on MQTT, so only the device's own report shows it.
 */

import type { Scenario, ScenarioContext } from '../scenario.ts';
import { addConnections, addTraffic, inBurst } from './sample-changes.ts';

/** The outside server, as the report lists it (TEST-NET-3, never contacted). */
export const FTP_DROP_ADDRESS = '203.0.113.21:21';
const BURST_TICKS = 3;

/** What the burst's size depends on. */
export type BurstSizing = Pick<ScenarioContext, 'envelope' | 'windowReports' | 'attackTicks'>;

/** Returns the burst's ticks, fewer than three when the run ends sooner. */
export function burstTicks(context: Pick<ScenarioContext, 'attackTicks'>): number {
  return Math.min(BURST_TICKS, context.attackTicks);
}

/**
 * Returns the extra bytes out per burst tick: in total twice what a clean device can report in the
 * maximum behavior window. The volume is sized to outweigh any clean window, not to look like a
 * real upload.
 */
export function burstBytesPerTick(context: BurstSizing): number {
  const total = 2 * context.envelope.maxPerReport.bytesOut * context.windowReports;
  return Math.ceil(total / burstTicks(context));
}

export const exfiltrationOverOtherProtocol: Scenario = {
  name: 'exfiltration-other-protocol',
  techniqueId: 'T1048',
  relatedTechniqueIds: ['T1048.001', 'T1048.002', 'T1048.003'],
  summary: `Reports an FTP upload to ${FTP_DROP_ADDRESS} for ${BURST_TICKS} ticks, twice the bytes out a clean device can report in a 3600-second window.`,
  expectedSignal: { kind: 'violation', metric: 'aws:all-bytes-out' },
  secondarySignals: [
    { kind: 'violation', metric: 'aws:all-packets-out' },
    { kind: 'violation', metric: 'aws:destination-ip-addresses' },
  ],
  scope: 'devices',
  create(context) {
    const perTick = burstBytesPerTick(context);
    let reported = 0;
    return {
      shapeSample(_device, sample, { sinceStart }) {
        if (!inBurst(sinceStart, burstTicks(context))) return;
        addTraffic(sample, perTick);
        addConnections(sample, [FTP_DROP_ADDRESS], 40_021);
        reported += perTick;
      },
      actions() {
        return [`reported ${reported} extra bytes out to ${FTP_DROP_ADDRESS}`];
      },
    };
  },
};
