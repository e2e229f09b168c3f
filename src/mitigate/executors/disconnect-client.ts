import { paramsOf, quoteAll, requireTargets, type ActionExecutor } from './executor.ts';

/** `after`: which client IDs had a live session that was ended. */
export interface Disconnections {
  disconnected: string[];
  notConnected: string[];
}

/** The disconnect reason in the connection history. */
export const MITIGATION_DISCONNECT_REASON = 'disconnected-by-mitigation';

/**
 * DISCONNECT_CLIENT: ends the live session of each target client ID. The device may connect
 * again at once, so this is a nudge rather than a block (BAN blocks). A closed session cannot
 * be reopened from the server side, so this action has no rollback.
 */
export const disconnectClientExecutor: ActionExecutor = {
  actionType: 'DISCONNECT_CLIENT',
  irreversible: 'DISCONNECT_CLIENT ended sessions, which only the devices can open again',

  plan(action, target, context) {
    paramsOf(action, 'disconnectClientParams');
    const clientIds = requireTargets(action, target.clientIds, 'client IDs');
    const live = new Set([...context.broker.sessions.values()].map((s) => s.clientId));
    const connected = clientIds.filter((id) => live.has(id));
    return {
      before: null,
      message: `Would disconnect client IDs ${quoteAll(connected) || '(none connected)'}`,
    };
  },

  async apply(action, target, context) {
    paramsOf(action, 'disconnectClientParams');
    const clientIds = requireTargets(action, target.clientIds, 'client IDs');
    const after: Disconnections = { disconnected: [], notConnected: [] };
    for (const clientId of clientIds) {
      const ended = context.broker.disconnectClient(clientId, MITIGATION_DISCONNECT_REASON);
      (ended ? after.disconnected : after.notConnected).push(clientId);
    }
    const notConnected =
      after.notConnected.length > 0 ? `; ${quoteAll(after.notConnected)} had no session` : '';
    const message = `Disconnected client IDs ${quoteAll(after.disconnected) || '(none)'}${notConnected}`;
    return { before: null, after, message };
  },

  rollback() {
    return Promise.reject(new Error('DISCONNECT_CLIENT has no rollback'));
  },
};
