/**
 * CONFLICTING_CLIENT_IDS_CHECK: client IDs under which a new connection took over a live session
 * in the audit's window, as MQTT requires a broker to do when a second client connects with the
 * same client ID. Each `takeover` event in the connection history is one such conflict.
 *
 * The finding lists one related resource per principal (device certificate) that connected with
 * the client ID, newest first, with the times of its latest session. NOTE: AWS does not publish
 * its threshold or the related resources; Warden reports a client ID after one takeover, whatever
 * the principals, and counts the takeovers in `TAKEOVER_COUNT`.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import { deviceCertificateResource } from './certificate-scope.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  clientIdResource,
  connectionSessions,
  hasConnectionData,
  newestFirst,
  sessionTimes,
  waitingForData,
  type ConnectionSession,
} from './connection-sessions.ts';

const NAME = 'CONFLICTING_CLIENT_IDS_CHECK';

/** Reports client IDs whose sessions were taken over by another connection. */
export const conflictingClientIdsCheck: AuditCheck = {
  name: NAME,
  severity: 'HIGH',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet }) {
    if (!hasConnectionData(fleet)) return waitingForData();

    const takeovers = new Map<string, number>();
    const clientIds = new Set<string>();
    for (const event of fleet.connections) {
      clientIds.add(event.clientId);
      if (event.type === 'takeover') {
        takeovers.set(event.clientId, (takeovers.get(event.clientId) ?? 0) + 1);
      }
    }

    const sessions = connectionSessions(fleet.connections);
    const nonCompliant: NonCompliance[] = [];
    for (const [clientId, count] of takeovers) {
      const principals = latestSessionPerPrincipal(sessions.filter((s) => s.clientId === clientId));
      nonCompliant.push({
        resource: clientIdResource(clientId, { TAKEOVER_COUNT: String(count) }),
        relatedResources: principals.map(([certificateId, session]) =>
          deviceCertificateResource(certificateId, sessionTimes(session)),
        ),
        reasonForNonCompliance: conflictReason(clientId, principals.length, count),
        reasonForNonComplianceCode: 'DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS',
      });
    }
    return { totalResourcesCount: clientIds.size, nonCompliant };
  },
};

/** Pairs each certificate with its newest session, newest first; sessions without one are dropped. */
function latestSessionPerPrincipal(
  sessions: readonly ConnectionSession[],
): [string, ConnectionSession][] {
  const latest = new Map<string, ConnectionSession>();
  for (const session of newestFirst(sessions)) {
    if (session.certificateId !== undefined && !latest.has(session.certificateId)) {
      latest.set(session.certificateId, session);
    }
  }
  return [...latest];
}

function conflictReason(clientId: string, principals: number, takeovers: number): string {
  const users = principals === 1 ? 'one principal' : `${principals} principals`;
  const times = takeovers === 1 ? 'once' : `${takeovers} times`;
  return `Client ID ${JSON.stringify(clientId)} was used by ${users} in connections that disconnected each other: a new connection took over a live session ${times}.`;
}
