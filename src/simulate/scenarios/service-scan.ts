/**
 * T1046 Network Service Discovery: the device connects to many hosts and ports of its LAN, which
 * its report shows as a large number of established connections.
 */

import type { Scenario } from '../scenario.ts';
import { addConnections } from './sample-changes.ts';

const SCANNED_HOSTS = 10;
const SCANNED_PORTS = [22, 23, 80, 502];

/** Lists the connections one scan tick adds, in the LAN block 10.20.250.0/24. */
export function scanTargets(): string[] {
  const targets: string[] = [];
  for (let host = 1; host <= SCANNED_HOSTS; host++) {
    for (const port of SCANNED_PORTS) targets.push(`10.20.250.${host}:${port}`);
  }
  return targets;
}

export const serviceScan: Scenario = {
  name: 'service-scan',
  techniqueId: 'T1046',
  relatedTechniqueIds: [],
  summary: `Reports ${SCANNED_HOSTS * SCANNED_PORTS.length} established connections to ${SCANNED_HOSTS} LAN hosts on ports ${SCANNED_PORTS.join(', ')} on every tick from its start.`,
  expectedSignal: { kind: 'violation', metric: 'aws:num-established-tcp-connections' },
  secondarySignals: [],
  scope: 'devices',
  create() {
    let reports = 0;
    return {
      shapeSample(_device, sample) {
        addConnections(sample, scanTargets(), 41_000);
        reports++;
      },
      actions() {
        return [
          `reported ${scanTargets().length} scan connections per report in ${reports} reports`,
        ];
      },
    };
  },
};
