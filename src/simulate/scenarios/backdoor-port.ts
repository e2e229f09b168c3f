/**
 * T1571 Non-Standard Port: a backdoor starts listening on a TCP port the device never used. The
 * attack catalog maps `aws:listening-tcp-ports` to this technique.
 */

import type { Scenario } from '../scenario.ts';
import { SeededRandom } from '../seeded-random.ts';

/** Ports backdoors are known to listen on; the seed picks one per device. */
export const BACKDOOR_PORTS = [4444, 1337, 31337, 6667];

export const backdoorPort: Scenario = {
  name: 'backdoor-port',
  techniqueId: 'T1571',
  relatedTechniqueIds: [],
  summary: `Adds a listening TCP port (one of ${BACKDOOR_PORTS.join(', ')}) to the device's reports from its start.`,
  expectedSignal: { kind: 'violation', metric: 'aws:listening-tcp-ports' },
  secondarySignals: [{ kind: 'violation', metric: 'aws:num-listening-tcp-ports' }],
  scope: 'devices',
  create(context, targets) {
    const ports = new Map(
      targets.map((device) => [
        device.thingName,
        new SeededRandom(context.seed, ['backdoor', device.thingName]).pick(BACKDOOR_PORTS),
      ]),
    );
    return {
      shapeSample(device, sample) {
        const port = ports.get(device.thingName);
        if (port !== undefined) sample.listeningTcpPorts.push(port);
      },
      actions() {
        return [...ports].map(([thing, port]) => `${thing} listens on TCP port ${port}`);
      },
    };
  },
};
