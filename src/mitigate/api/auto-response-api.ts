import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import type { Clock } from '../../core/clock.ts';
import type {
  AutoResponseEvent,
  AutoResponseEvents,
} from '../auto-response/auto-response-events.ts';
import {
  MAX_ACTIONS_PER_RULE,
  MAX_THINGS_PER_HOUR_LIMIT,
  type AutoResponseRule,
} from '../auto-response/auto-response-rule.ts';
import type { AutoResponseRules } from '../auto-response/auto-response-rules.ts';
import {
  GUARD_WINDOW_MS,
  type GuardState,
  type HourlyGuard,
} from '../auto-response/hourly-guard.ts';

const ruleName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_-]+$/);
const resourceName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9:_-]+$/);
const upperSnake = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Z0-9_]+$/);

const trigger = z
  .strictObject({
    securityProfileName: resourceName.optional(),
    behaviorName: resourceName.optional(),
    checkName: upperSnake.optional(),
    reasonCodes: z.array(upperSnake).min(1).max(25).optional(),
  })
  .superRefine((value, context) => {
    const forViolations = value.securityProfileName !== undefined;
    const forChecks = value.checkName !== undefined;
    if (forViolations === forChecks)
      context.addIssue({
        code: 'custom',
        message:
          'Member must set exactly one of securityProfileName (a violation trigger) and checkName (a check trigger)',
      });
    if (value.behaviorName !== undefined && !forViolations)
      context.addIssue({
        code: 'custom',
        path: ['behaviorName'],
        message: 'Member is allowed only with securityProfileName',
      });
    if (value.reasonCodes !== undefined && !forChecks)
      context.addIssue({
        code: 'custom',
        path: ['reasonCodes'],
        message: 'Member is allowed only with checkName',
      });
  });

/** The body of PutAutoResponse. Unknown members are rejected. */
export const putAutoResponseBody = z.strictObject({
  trigger,
  actions: z
    .array(
      z
        .string()
        .min(1)
        .max(128)
        .regex(/^[a-zA-Z0-9_-]+$/),
    )
    .min(1)
    .max(MAX_ACTIONS_PER_RULE)
    .refine((names) => new Set(names).size === names.length, 'Member must not repeat an action'),
  dryRun: z.boolean().optional(),
  maxThingsPerHour: z.number().int().min(1).max(MAX_THINGS_PER_HOUR_LIMIT).optional(),
  alertTargetArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[^:]*:[^:]*:[A-Za-z0-9_-]{1,256}$/)
    .optional(),
  enabled: z.boolean().optional(),
});

export interface AutoResponseApiOptions {
  rules: AutoResponseRules;
  guard: HourlyGuard;
  events: AutoResponseEvents;
  clock: Clock;
}

/**
 * Warden's routes for auto-response rules and their guard events. These are not AWS IoT
 * operations: Device Defender runs mitigation actions only when a caller starts a task.
 */
export function autoResponseRoutes(options: AutoResponseApiOptions): Route[] {
  const { rules, guard, events, clock } = options;
  const nameOf = (params: Record<string, string>) =>
    parseParam(ruleName, 'ruleName', params['ruleName']);
  return [
    {
      operation: 'PutAutoResponse',
      method: 'PUT',
      path: '/warden/auto-responses/{ruleName}',
      handler: async ({ params, body }) => {
        const name = nameOf(params);
        const input = parseBody(putAutoResponseBody, body);
        return { body: ruleView(await rules.put(name, input)) };
      },
    },
    {
      operation: 'GetAutoResponse',
      method: 'GET',
      path: '/warden/auto-responses/{ruleName}',
      handler: async ({ params }) => {
        const rule = await rules.require(nameOf(params));
        const state = await guard.view(rule.ruleName, clock.now());
        return { body: { ...ruleView(rule), guard: guardView(state, rule) } };
      },
    },
    {
      operation: 'ListAutoResponses',
      method: 'GET',
      path: '/warden/auto-responses',
      handler: async ({ query }) => {
        const page = pageOf(await rules.list(), new Query(query));
        return { body: { autoResponses: page.items.map(ruleView), nextToken: page.nextToken } };
      },
    },
    {
      operation: 'DeleteAutoResponse',
      method: 'DELETE',
      path: '/warden/auto-responses/{ruleName}',
      handler: async ({ params }) => {
        await rules.delete(nameOf(params));
      },
    },
    {
      operation: 'ListAutoResponseEvents',
      method: 'GET',
      path: '/warden/auto-responses/{ruleName}/events',
      handler: async ({ params, query }) => {
        const rule = await rules.require(nameOf(params));
        const page = pageOf(await events.list(rule.ruleName), new Query(query));
        return { body: { events: page.items.map(eventView), nextToken: page.nextToken } };
      },
    },
  ];
}

function pageOf<T>(items: T[], query: Query) {
  const maxResults = query.integer('maxResults', { min: 1, max: 250 }) ?? 50;
  return paginate(items, query.string('nextToken'), maxResults);
}

/** Renders a rule as the routes return it, times in epoch seconds. */
function ruleView(rule: AutoResponseRule) {
  return {
    ruleName: rule.ruleName,
    trigger: rule.trigger,
    actions: rule.actions,
    dryRun: rule.dryRun,
    maxThingsPerHour: rule.maxThingsPerHour,
    alertTargetArn: rule.alertTargetArn,
    enabled: rule.enabled,
    createdAt: toEpochSeconds(rule.createdAt),
    lastModifiedAt: toEpochSeconds(rule.lastModifiedAt),
  };
}

/**
 * Renders the rule's guard window. `tripped` is true while the window is full and the rule skips
 * new things. `trip` stays until the next occurrence finds room, so the skips remain visible.
 */
function guardView(state: GuardState, rule: AutoResponseRule) {
  const trip = state.trip;
  return {
    windowSeconds: GUARD_WINDOW_MS / 1000,
    thingsActedOn: state.acted.map((entry) => entry.label),
    tripped: trip !== undefined && state.acted.length >= rule.maxThingsPerHour,
    trip:
      trip === undefined
        ? undefined
        : {
            trippedAt: toEpochSeconds(trip.trippedAt),
            skippedThings: trip.skipped.map((entry) => entry.label),
            skippedCount: trip.skippedCount,
            alerted: trip.alerted,
          },
  };
}

function eventView(event: AutoResponseEvent) {
  return { ...event, time: toEpochSeconds(event.time) };
}
