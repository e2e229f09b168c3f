/**
 * T1552.004 Unsecured Credentials: Private Keys: an adversary who copied a device's certificate
 * and key connects with them from another address. It uses a second client ID that the fleet
 * policy allows (the common name and a hyphen), and keeps that session open beside the device's.
 */

import { MqttSession } from '../mqtt-session.ts';
import type { Scenario } from '../scenario.ts';

/** Client ID of the copy's session. */
export function cloneClientId(thingName: string): string {
  return `${thingName}-clone`;
}

export const clonedCertificate: Scenario = {
  name: 'cloned-certificate',
  techniqueId: 'T1552.004',
  relatedTechniqueIds: ['T1078', 'T1078.004'],
  summary:
    "Opens a second session with the device's certificate from another loopback address, as client ID NAME-clone, and holds it until the run ends.",
  expectedSignal: { kind: 'finding', checkName: 'DEVICE_CERTIFICATE_SHARED_CHECK' },
  secondarySignals: [],
  scope: 'devices',
  create(context, targets) {
    const sessions: MqttSession[] = [];
    const lines: string[] = [];
    return {
      async start() {
        for (const device of targets) {
          const clientId = cloneClientId(device.thingName);
          try {
            const session = await MqttSession.open({
              broker: context.broker,
              clientId,
              certPem: device.certificate.certPem,
              keyPem: device.certificate.keyPem,
              localAddress: context.sources.alternate,
            });
            sessions.push(session);
            lines.push(
              `${clientId} connected from ${context.sources.alternate ?? 'the same address'}`,
            );
          } catch (error) {
            lines.push(`${clientId} could not connect: ${(error as Error).message}`);
          }
        }
      },
      async stop() {
        await Promise.all(sessions.map((session) => session.close()));
      },
      actions() {
        return lines;
      },
    };
  },
};
