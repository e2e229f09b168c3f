/**
 * T1041 Exfiltration Over C2 Channel: the device sends a burst of large messages over its own
 * MQTT connection, to its own telemetry topic, so the policy allows every one of them.
 */

import { telemetryTopic } from '../fleet-policy.ts';
import type { Scenario } from '../scenario.ts';
import { addTraffic, inBurst } from './sample-changes.ts';

/** Bytes of each exfiltrated message, below the 128 KiB publish limit of AWS IoT Core. */
export const EXFILTRATION_MESSAGE_BYTES = 96 * 1024;
const MESSAGES_PER_TICK = 8;
const BURST_TICKS = 3;

export const exfiltrationOverC2: Scenario = {
  name: 'exfiltration-c2',
  techniqueId: 'T1041',
  relatedTechniqueIds: [],
  summary: `Publishes ${MESSAGES_PER_TICK} messages of ${EXFILTRATION_MESSAGE_BYTES} bytes per tick for ${BURST_TICKS} ticks to the device's telemetry topic.`,
  expectedSignal: { kind: 'violation', metric: 'aws:message-byte-size' },
  secondarySignals: [
    { kind: 'violation', metric: 'aws:num-messages-sent' },
    { kind: 'violation', metric: 'aws:all-bytes-out' },
  ],
  scope: 'devices',
  create(_context, targets) {
    let sent = 0;
    let failed = 0;
    return {
      async tick({ tick, sinceStart }) {
        if (!inBurst(sinceStart, BURST_TICKS)) return;
        for (const device of targets) {
          await device.liveSession();
          for (let message = 0; message < MESSAGES_PER_TICK; message++) {
            const payload = Buffer.alloc(
              EXFILTRATION_MESSAGE_BYTES,
              `${device.thingName}:${tick}:`,
            );
            if (await device.publish(telemetryTopic(device.thingName), payload)) sent++;
            else failed++;
          }
        }
      },
      shapeSample(_device, sample, { sinceStart }) {
        if (inBurst(sinceStart, BURST_TICKS)) {
          addTraffic(sample, MESSAGES_PER_TICK * EXFILTRATION_MESSAGE_BYTES);
        }
      },
      actions() {
        const lines = [`published ${sent} messages of ${EXFILTRATION_MESSAGE_BYTES} bytes`];
        if (failed > 0) lines.push(`${failed} messages could not be published`);
        return lines;
      },
    };
  },
};
