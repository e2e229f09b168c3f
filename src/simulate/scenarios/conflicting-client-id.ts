/**
 * Two sessions fighting over one client ID: a copy of the device's certificate connects as the
 * thing itself from another address, which takes the device's session over. The device connects
 * again on its next report, taking it back, and the fight repeats for a few ticks. In the attack
 * catalog, conflicting client IDs point at T1078.004 (a device identity used by someone else).
 */

import { MqttSession } from '../mqtt-session.ts';
import type { Scenario } from '../scenario.ts';

/** Ticks the fight lasts, so the device still reports on most ticks. */
export const FIGHT_TICKS = 5;
/** Milliseconds to wait for the broker to close the device's session after a takeover. */
const TAKEOVER_WAIT_MS = 2_000;

export const conflictingClientId: Scenario = {
  name: 'conflicting-client-id',
  techniqueId: 'T1078.004',
  relatedTechniqueIds: ['T1078'],
  summary: `Connects a copy of the device's certificate as the thing's own client ID from another loopback address on ${FIGHT_TICKS} ticks; the device takes its client ID back each time.`,
  expectedSignal: { kind: 'finding', checkName: 'CONFLICTING_CLIENT_IDS_CHECK' },
  secondarySignals: [
    { kind: 'violation', metric: 'aws:source-ip-address' },
    { kind: 'violation', metric: 'aws:num-disconnects' },
    { kind: 'violation', metric: 'aws:num-connection-attempts' },
  ],
  scope: 'devices',
  create(context, targets) {
    const sessions: MqttSession[] = [];
    let takeovers = 0;
    let rejected = 0;
    return {
      async tick({ sinceStart }) {
        if (sinceStart >= FIGHT_TICKS) return;
        for (const device of targets) {
          const victim = device.currentSession;
          try {
            const session = await MqttSession.open({
              broker: context.broker,
              clientId: device.thingName,
              certPem: device.certificate.certPem,
              keyPem: device.certificate.keyPem,
              localAddress: context.sources.alternate,
            });
            sessions.push(session);
            takeovers++;
          } catch {
            rejected++;
          }
          // The device must see its session end before it reports, so it reconnects this tick.
          if (victim !== undefined) await closedWithin(victim, TAKEOVER_WAIT_MS);
        }
      },
      async stop() {
        await Promise.all(sessions.map((session) => session.close()));
      },
      actions() {
        const lines = [`took over the thing's client ID ${takeovers} times`];
        if (rejected > 0) lines.push(`${rejected} takeover connections were rejected`);
        return lines;
      },
    };
  },
};

async function closedWithin(session: MqttSession, milliseconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, milliseconds)));
  await Promise.race([session.whenClosed, timeout]);
  clearTimeout(timer);
}
