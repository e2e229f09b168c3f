/**
 * Connection sessions rebuilt from the connection events of an audit window, for the shared
 * certificate and conflicting client ID checks. A session runs from a `connect-success` to the
 * `disconnect` of the same client ID, source address and port. The window cuts sessions at both
 * ends: one that began before it has no connection time, one still open has no disconnection time.
 */

import type { AuditResource, CheckResult } from '../audit-types.ts';
import type { FleetSnapshot } from '../fleet-snapshot.ts';
import type { ConnectionEvent } from '../../history/connection-event.ts';

/** One connection of one client, as far as the window shows it. */
export interface ConnectionSession {
  clientId: string;
  certificateId?: string;
  sourceIp: string;
  sourcePort: number;
  /** Undefined when the session began before the window. */
  connectedAt?: number;
  /** Undefined while the session was still open at the end of the window. */
  disconnectedAt?: number;
}

/**
 * Checks whether the window contains any connection data. NOTE: an empty history cannot tell a fleet
 * that never connected from a history not collected yet, so both count as waiting for data.
 */
export function hasConnectionData(fleet: FleetSnapshot): boolean {
  return fleet.connections.length > 0 && fleet.window.until > fleet.window.since;
}

/** Rebuilds the sessions of a window's events, in the order they began. */
export function connectionSessions(events: readonly ConnectionEvent[]): ConnectionSession[] {
  const ordered = [...events].sort((a, b) => a.time - b.time);
  const open = new Map<string, ConnectionSession>();
  const sessions: ConnectionSession[] = [];
  for (const event of ordered) {
    const key = `${event.clientId}\u0000${event.sourceIp}\u0000${event.sourcePort}`;
    const current = open.get(key);
    if (event.type === 'connect-success') {
      // A new session on the same address and port ends one whose disconnect was never recorded.
      if (current !== undefined) current.disconnectedAt = event.time;
      const session = { ...sessionBase(event), connectedAt: event.time };
      open.set(key, session);
      sessions.push(session);
    } else if (event.type === 'disconnect') {
      if (current !== undefined) {
        current.disconnectedAt = event.time;
        open.delete(key);
      } else {
        sessions.push({ ...sessionBase(event), disconnectedAt: event.time });
      }
    }
  }
  return sessions;
}

/** Checks whether two sessions were connected at the same moment inside the window. */
export function overlaps(a: ConnectionSession, b: ConnectionSession): boolean {
  return startOf(a) < endOf(b) && startOf(b) < endOf(a);
}

/** Sorts sessions newest first, by connection time, a session cut by the window start last. */
export function newestFirst(sessions: readonly ConnectionSession[]): ConnectionSession[] {
  return [...sessions].sort((a, b) => startOf(b) - startOf(a) || endOf(b) - endOf(a));
}

/** `CONNECTION_TIME` and `DISCONNECTION_TIME` of a session, epoch ms, as far as they are known. */
export function sessionTimes(session: ConnectionSession): Record<string, string> {
  const times: Record<string, string> = {};
  if (session.connectedAt !== undefined) times['CONNECTION_TIME'] = String(session.connectedAt);
  if (session.disconnectedAt !== undefined) {
    times['DISCONNECTION_TIME'] = String(session.disconnectedAt);
  }
  return times;
}

/** Builds the result of a connection check when the window contains no connection data. */
export function waitingForData(): CheckResult {
  return { totalResourcesCount: 0, nonCompliant: [], waitingForDataCollection: true };
}

/** Names a client ID as a finding's resource. */
export function clientIdResource(
  clientId: string,
  additionalInfo?: Record<string, string>,
): AuditResource {
  const resource: AuditResource = { resourceType: 'CLIENT_ID', resourceIdentifier: { clientId } };
  return additionalInfo === undefined ? resource : { ...resource, additionalInfo };
}

function sessionBase(event: ConnectionEvent): ConnectionSession {
  const session: ConnectionSession = {
    clientId: event.clientId,
    sourceIp: event.sourceIp,
    sourcePort: event.sourcePort,
  };
  if (event.certificateId !== undefined) session.certificateId = event.certificateId;
  return session;
}

function startOf(session: ConnectionSession): number {
  return session.connectedAt ?? Number.NEGATIVE_INFINITY;
}

function endOf(session: ConnectionSession): number {
  return session.disconnectedAt ?? Number.POSITIVE_INFINITY;
}
