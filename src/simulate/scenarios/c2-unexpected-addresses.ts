/**
 * T1071 Application Layer Protocol: the device beacons to a command-and-control server outside
 * the fleet's address blocks. The same report change shows T1095 when the channel is not HTTPS.
 */

import type { Scenario } from '../scenario.ts';
import { SeededRandom } from '../seeded-random.ts';
import { addConnections, addTraffic } from './sample-changes.ts';

const BEACON_BYTES = 2_048;

/** Returns the C2 address of a device, in TEST-NET-3 (203.0.113.0/24), which is never contacted. */
export function commandServer(seed: number, thingName: string): string {
  const host = new SeededRandom(seed, ['c2', thingName]).integer(30, 199);
  return `203.0.113.${host}:443`;
}

export const commandAndControl: Scenario = {
  name: 'c2-unexpected-addresses',
  techniqueId: 'T1071',
  relatedTechniqueIds: ['T1095'],
  summary:
    'Reports a connection to an address in 203.0.113.0/24, outside the normal blocks, with a small beacon, on every tick from its start.',
  expectedSignal: { kind: 'violation', metric: 'aws:destination-ip-addresses' },
  secondarySignals: [{ kind: 'violation', metric: 'aws:num-established-tcp-connections' }],
  scope: 'devices',
  create(context, targets) {
    const servers = new Map(
      targets.map((device) => [device.thingName, commandServer(context.seed, device.thingName)]),
    );
    return {
      shapeSample(device, sample) {
        const server = servers.get(device.thingName);
        if (server === undefined) return;
        addConnections(sample, [server], 42_443);
        addTraffic(sample, BEACON_BYTES, BEACON_BYTES);
      },
      actions() {
        return [...servers].map(([thing, server]) => `${thing} connects to ${server}`);
      },
    };
  },
};
