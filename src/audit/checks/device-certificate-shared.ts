/**
 * DEVICE_CERTIFICATE_SHARED_CHECK: device certificates that authenticated connections which were
 * open at the same time under different client IDs, in the audit's window of connection events.
 *
 * Sessions of one client ID never overlap, because the broker closes the older one when a second
 * connection takes the client ID over. That contention is the conflicting client ID check's
 * finding. NOTE: AWS does not publish its concurrency rule; this is Warden's.
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
  overlaps,
  sessionTimes,
  waitingForData,
  type ConnectionSession,
} from './connection-sessions.ts';

const NAME = 'DEVICE_CERTIFICATE_SHARED_CHECK';

/** Reports certificates used by concurrent connections with different client IDs. */
export const deviceCertificateSharedCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet }) {
    if (!hasConnectionData(fleet)) return waitingForData();

    const byCertificate = new Map<string, ConnectionSession[]>();
    for (const session of connectionSessions(fleet.connections)) {
      if (session.certificateId === undefined) continue;
      const sessions = byCertificate.get(session.certificateId) ?? [];
      sessions.push(session);
      byCertificate.set(session.certificateId, sessions);
    }

    const nonCompliant: NonCompliance[] = [];
    for (const [certificateId, sessions] of byCertificate) {
      const pair = concurrentPair(sessions);
      if (pair === undefined) continue;
      nonCompliant.push({
        resource: deviceCertificateResource(certificateId),
        relatedResources: newestFirst(sessions).map((session) =>
          clientIdResource(session.clientId, sessionTimes(session)),
        ),
        reasonForNonCompliance: `Certificate shared by one or more devices. Client IDs ${describe(pair[0])} and ${describe(pair[1])} were connected at the same time.`,
        reasonForNonComplianceCode: 'CERTIFICATE_SHARED_BY_MULTIPLE_DEVICES',
      });
    }
    return { totalResourcesCount: byCertificate.size, nonCompliant };
  },
};

/** Finds the first two sessions with different client IDs that overlap in time. */
function concurrentPair(
  sessions: readonly ConnectionSession[],
): [ConnectionSession, ConnectionSession] | undefined {
  for (let i = 0; i < sessions.length; i++) {
    for (let j = i + 1; j < sessions.length; j++) {
      const a = sessions[i] as ConnectionSession;
      const b = sessions[j] as ConnectionSession;
      if (a.clientId !== b.clientId && overlaps(a, b)) return [a, b];
    }
  }
  return undefined;
}

function describe(session: ConnectionSession): string {
  return `${JSON.stringify(session.clientId)} (from ${session.sourceIp})`;
}
