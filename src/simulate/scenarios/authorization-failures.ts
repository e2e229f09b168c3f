/**
 * T1110-like probing: the device tries topic filters its policy denies (other things' report
 * responses, every shadow, the whole topic tree), over and over. A denied SUBSCRIBE gets return
 * code 0x80 and leaves the connection open; a denied PUBLISH would close it, so the scenario
 * only subscribes.
 */

import type { Scenario } from '../scenario.ts';
import type { VirtualDevice } from '../virtual-device.ts';

/** Lists the denied filters one device tries on each tick. */
export function deniedFilters(device: VirtualDevice, fleet: readonly VirtualDevice[]): string[] {
  const others = fleet
    .filter((other) => other.thingName !== device.thingName)
    .slice(0, 3)
    .map((other) => `$aws/things/${other.thingName}/defender/metrics/json/+`);
  return [
    ...others,
    '$aws/things/+/shadow/#',
    '$aws/events/#',
    'sim/admin/#',
    '#',
    `$aws/things/${device.thingName}/jobs/#`,
  ];
}

export const authorizationFailures: Scenario = {
  name: 'authorization-failures',
  techniqueId: 'T1078',
  relatedTechniqueIds: ['T1078.004'],
  summary:
    "Subscribes to topic filters the device's policy denies (other things' topics, all shadows, '#') on every tick from its start.",
  expectedSignal: { kind: 'violation', metric: 'aws:num-authorization-failures' },
  secondarySignals: [],
  scope: 'devices',
  create(context, targets) {
    let denied = 0;
    let granted = 0;
    return {
      async tick() {
        for (const device of targets) {
          const session = await device.liveSession();
          if (session === undefined) continue;
          const filters = deniedFilters(device, context.fleet.devices);
          const results = await session.subscribe(filters).catch(() => []);
          for (const qos of results) {
            if (qos === 128) denied++;
            else granted++;
          }
          // A filter that was granted (a broad policy planted beside) must not stay subscribed.
          if (results.some((qos) => qos !== 128))
            await session.unsubscribe(filters).catch(() => undefined);
        }
      },
      actions() {
        const lines = [`had ${denied} subscriptions rejected`];
        if (granted > 0)
          lines.push(`${granted} subscriptions were granted, so a policy allows them`);
        return lines;
      },
    };
  },
};
