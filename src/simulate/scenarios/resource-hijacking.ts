/**
 * T1496 Resource Hijacking, here its bandwidth form (T1496.002): the device relays traffic for
 * someone else on every tick from the start, at least ten times the most a clean device sends.
 */

import type { Scenario, ScenarioContext } from '../scenario.ts';
import { addConnections } from './sample-changes.ts';

/** The relay peer, as the report lists it (TEST-NET-3, never contacted). */
export const RELAY_ADDRESS = '203.0.113.200:3333';
const MIN_LOAD_FACTOR = 10;

/**
 * Returns how many times the clean per-report maximum each report adds. Over the attack's ticks
 * the extra traffic is at least twice the clean sum of a 3600-second window, and at least ten
 * times the clean maximum per report.
 */
export function loadFactor(
  context: Pick<ScenarioContext, 'windowReports' | 'attackTicks'>,
): number {
  return Math.max(MIN_LOAD_FACTOR, Math.ceil((2 * context.windowReports) / context.attackTicks));
}

export const resourceHijacking: Scenario = {
  name: 'resource-hijacking',
  techniqueId: 'T1496',
  relatedTechniqueIds: ['T1496.002'],
  summary: `Reports at least ${MIN_LOAD_FACTOR} times the clean maximum of packets and bytes out, relayed through ${RELAY_ADDRESS}, on every tick from its start.`,
  expectedSignal: { kind: 'violation', metric: 'aws:all-packets-out' },
  secondarySignals: [
    { kind: 'violation', metric: 'aws:all-bytes-out' },
    { kind: 'violation', metric: 'aws:destination-ip-addresses' },
  ],
  scope: 'devices',
  create(context) {
    const factor = loadFactor(context);
    const extra = context.envelope.maxPerReport;
    let reports = 0;
    return {
      shapeSample(_device, sample) {
        sample.traffic.packetsOut += factor * extra.packetsOut;
        sample.traffic.bytesOut += factor * extra.bytesOut;
        sample.traffic.packetsIn += factor * extra.packetsIn;
        addConnections(sample, [RELAY_ADDRESS], 43_333);
        reports++;
      },
      actions() {
        const packets = factor * extra.packetsOut;
        return [`reported ${packets} extra packets out per report in ${reports} reports`];
      },
    };
  },
};
