import { randomUUID } from 'node:crypto';
import { sourceIpBlock, type BanRecord } from '../../broker/enforcement/ban.ts';
import type { BanScope, MitigationAction, MitigationTarget } from '../mitigation-types.ts';
import {
  expiryOf,
  PartialApplyError,
  paramsOf,
  quoteAll,
  requireTargets,
  ruleOf,
  type ActionExecutor,
  type ApplyContext,
} from './executor.ts';

/** `after`: the bans this execution put in force and the sessions they dropped. */
export interface BansPlaced {
  bans: BanRecord[];
  droppedClientIds: string[];
}

const TARGET_KIND: Record<BanScope, string> = {
  CLIENT_ID: 'client IDs',
  CERTIFICATE: 'device certificates',
  SOURCE_IP: 'source IPs',
};

/**
 * BAN: one ban per target client ID, certificate or source IP range, lasting `durationSeconds`.
 * Each is stored as a mitigation document before it takes effect. The broker drops the live
 * sessions it matches at once and refuses matching CONNECTs with reason `banned` until it
 * expires or rollback lifts it.
 */
export const banExecutor: ActionExecutor = {
  actionType: 'BAN',

  plan(action, target, context) {
    const bans = prepare(action, target, context);
    return { before: null, message: `Would ban ${describeBans(bans)}` };
  },

  async apply(action, target, context) {
    const bans = prepare(action, target, context);
    const after: BansPlaced = { bans: [], droppedClientIds: [] };
    for (const ban of bans) {
      try {
        after.droppedClientIds.push(...(await context.enforcement.addBan(ban)));
      } catch (error) {
        throw new PartialApplyError(error, null, after);
      }
      after.bans.push(ban);
    }
    const dropped =
      after.droppedClientIds.length > 0
        ? `; dropped the sessions of ${quoteAll(after.droppedClientIds)}`
        : '';
    return { before: null, after, message: `Banned ${describeBans(bans)}${dropped}` };
  },

  async rollback(execution, context) {
    const after = execution.after as BansPlaced;
    const lifted: string[] = [];
    const expired: string[] = [];
    for (const ban of after.bans) {
      const wasInForce = await context.enforcement.liftBan(ban.banId);
      (wasInForce ? lifted : expired).push(`${ban.scope} "${ban.value}"`);
    }
    const expiredText = expired.length > 0 ? `; ${expired.join(', ')} had already expired` : '';
    return `Lifted the bans of ${lifted.join(', ') || '(none)'}${expiredText}`;
  },
};

function prepare(
  action: MitigationAction,
  target: MitigationTarget,
  context: ApplyContext,
): BanRecord[] {
  const params = paramsOf(action, 'banParams');
  const now = context.clock.now();
  const expiresAt = expiryOf(action, params.durationSeconds, now);
  const values = requireTargets(action, valuesOf(params.scope, target), TARGET_KIND[params.scope]);
  const blocks =
    params.scope === 'SOURCE_IP'
      ? [...new Set(values.map((ip) => sourceIpBlock(ip, params.sourceIpPrefixLength)))]
      : values;

  const reason = params.reason ?? `Mitigation action "${action.actionName}"`;
  const rule = ruleOf(context.execution.source);
  return blocks.map((value) => ({
    banId: randomUUID(),
    scope: params.scope,
    value,
    reason,
    rule,
    executionId: context.execution.executionId,
    createdAt: now,
    expiresAt,
  }));
}

function valuesOf(scope: BanScope, target: MitigationTarget): string[] {
  switch (scope) {
    case 'CLIENT_ID':
      return target.clientIds;
    case 'CERTIFICATE':
      return target.certificateIds;
    case 'SOURCE_IP':
      return target.sourceIps;
  }
}

function describeBans(bans: BanRecord[]): string {
  const until = bans[0] ? ` until ${new Date(bans[0].expiresAt).toISOString()}` : '';
  return `${bans.map((ban) => `${ban.scope} "${ban.value}"`).join(', ')}${until}`;
}
