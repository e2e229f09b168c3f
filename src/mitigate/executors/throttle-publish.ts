import { randomUUID } from 'node:crypto';
import { invalidRequest } from '../../core/errors.ts';
import type { ThrottleRecord } from '../../broker/enforcement/publish-throttle.ts';
import type { MitigationAction, MitigationTarget } from '../mitigation-types.ts';
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

/** `after`: the throttles this execution put in force. */
export interface ThrottlesPlaced {
  throttles: ThrottleRecord[];
}

/**
 * THROTTLE_PUBLISH: caps each target thing at `messagesPerMinute` PUBLISHes for
 * `durationSeconds`, with a token bucket in the broker. Messages beyond the rate are dropped
 * without closing the connection; a QoS 1 message still gets its PUBACK. Rollback lifts it.
 */
export const throttlePublishExecutor: ActionExecutor = {
  actionType: 'THROTTLE_PUBLISH',

  plan(action, target, context) {
    const throttles = prepare(action, target, context);
    return { before: null, message: `Would throttle ${describe(throttles)}` };
  },

  async apply(action, target, context) {
    const throttles = prepare(action, target, context);
    const after: ThrottlesPlaced = { throttles: [] };
    for (const throttle of throttles) {
      try {
        await context.enforcement.addThrottle(throttle);
      } catch (error) {
        throw new PartialApplyError(error, null, after);
      }
      after.throttles.push(throttle);
    }
    return { before: null, after, message: `Throttled ${describe(throttles)}` };
  },

  async rollback(execution, context) {
    const after = execution.after as ThrottlesPlaced;
    const lifted: string[] = [];
    const expired: string[] = [];
    for (const throttle of after.throttles) {
      const wasInForce = await context.enforcement.liftThrottle(throttle.throttleId);
      (wasInForce ? lifted : expired).push(throttle.thingName);
    }
    const expiredText = expired.length > 0 ? `; ${quoteAll(expired)} had already expired` : '';
    return `Lifted the publish throttles of things ${quoteAll(lifted) || '(none)'}${expiredText}`;
  },
};

function prepare(
  action: MitigationAction,
  target: MitigationTarget,
  context: ApplyContext,
): ThrottleRecord[] {
  const params = paramsOf(action, 'throttlePublishParams');
  const rate = params.messagesPerMinute;
  if (!Number.isInteger(rate) || rate < 1) {
    throw invalidRequest(
      `Invalid messagesPerMinute "${rate}" in mitigation action "${action.actionName}": must be a whole number of at least 1`,
    );
  }
  const now = context.clock.now();
  const expiresAt = expiryOf(action, params.durationSeconds, now);
  const things = requireTargets(action, target.thingNames, 'things');
  const rule = ruleOf(context.execution.source);
  return things.map((thingName) => ({
    throttleId: randomUUID(),
    thingName,
    messagesPerMinute: rate,
    rule,
    executionId: context.execution.executionId,
    createdAt: now,
    expiresAt,
  }));
}

function describe(throttles: ThrottleRecord[]): string {
  const first = throttles[0];
  if (!first) return 'no things';
  const until = new Date(first.expiresAt).toISOString();
  return `things ${quoteAll(throttles.map((t) => t.thingName))} to ${first.messagesPerMinute} messages per minute until ${until}`;
}
