/**
 * T1530 Data from Cloud Storage: the device pulls the fleet's data out of the broker. It
 * subscribes to every device's telemetry, and re-subscribes to the retained state topics again
 * and again, so each round delivers one retained message per device. The policy allows all of it.
 */

import type { MqttSession } from '../mqtt-session.ts';
import type { Scenario } from '../scenario.ts';
import type { VirtualDevice } from '../virtual-device.ts';

const STATE_FILTER = 'sim/fleet/state/#';
const TELEMETRY_FILTER = 'sim/fleet/telemetry/#';
/** Subscribe rounds per tick; each round receives every device's retained state. */
export const READ_ROUNDS_PER_TICK = 10;

export const bulkCloudRead: Scenario = {
  name: 'bulk-cloud-read',
  techniqueId: 'T1530',
  relatedTechniqueIds: [],
  summary: `Subscribes to the whole fleet's telemetry and re-reads every device's retained state ${READ_ROUNDS_PER_TICK} times per tick from its start.`,
  expectedSignal: { kind: 'violation', metric: 'aws:num-messages-received' },
  secondarySignals: [],
  scope: 'devices',
  create(_context, targets) {
    let received = 0;
    let rounds = 0;
    const watched = new WeakSet<MqttSession>();
    const watch = (session: MqttSession) => {
      if (watched.has(session)) return;
      watched.add(session);
      session.client.on('message', (topic) => {
        if (topic.startsWith('sim/fleet/')) received++;
      });
    };

    const readFleet = async (device: VirtualDevice) => {
      const session = await device.liveSession();
      if (session === undefined) return;
      watch(session);
      await session.subscribe([TELEMETRY_FILTER]);
      for (let round = 0; round < READ_ROUNDS_PER_TICK; round++) {
        await session.unsubscribe([STATE_FILTER]);
        await session.subscribe([STATE_FILTER]);
        rounds++;
      }
    };

    return {
      async tick() {
        for (const device of targets) await readFleet(device).catch(() => undefined);
      },
      shapeSample(_device, sample) {
        // The reads arrive over the device's MQTT connection, so they count as bytes in.
        sample.traffic.bytesIn += READ_ROUNDS_PER_TICK * 256;
      },
      actions() {
        return [`ran ${rounds} subscribe rounds and received ${received} fleet messages`];
      },
    };
  },
};
