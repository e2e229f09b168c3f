import { z } from 'zod';
import { paginate } from '../../api/pagination.ts';
import { Query } from '../../api/query.ts';
import type { Route } from '../../api/route.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';
import { parseBody, parseParam } from '../../api/validation.ts';
import { invalidRequest } from '../../core/errors.ts';
import {
  classifyBehavior,
  type Behavior,
  type BehaviorCriteriaType,
  type VerificationState,
} from '../behavior.ts';
import { techniquesForViolation } from '../../attack/catalog.ts';
import type { StoredViolationEvent, Violation } from '../detect-records.ts';
import type { DetectState } from '../detect-state.ts';
import { emptyWrite } from '../evaluator.ts';

const VERIFICATION_STATES = [
  'FALSE_POSITIVE',
  'BENIGN_POSITIVE',
  'TRUE_POSITIVE',
  'UNKNOWN',
] as const;
const CRITERIA_TYPES = ['STATIC', 'STATISTICAL', 'MACHINE_LEARNING'] as const;
const verificationBody = z.strictObject({
  verificationState: z.enum(VERIFICATION_STATES),
  verificationStateDescription: z
    .string()
    .max(1000)
    .regex(/^[^\p{Cc}]*$/u)
    .optional(),
});
const violationId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9-]+$/);

interface ViolationFilter {
  thingName?: string | undefined;
  securityProfileName?: string | undefined;
  behaviorCriteriaType?: BehaviorCriteriaType | undefined;
  listSuppressedAlerts?: boolean | undefined;
  verificationState?: VerificationState | undefined;
}

/** Routes for violations, their events and verification states, and stored metric values. */
export function violationRoutes(state: DetectState): Route[] {
  return [
    {
      operation: 'ListActiveViolations',
      method: 'GET',
      path: '/active-violations',
      handler: ({ query }) => {
        const q = new Query(query);
        const filter = readFilter(q);
        const active = [...state.activeViolations.values()].filter((violation) =>
          matches(
            violation.thingName,
            violation.securityProfileName,
            violation.behavior,
            violation.verificationState,
            filter,
          ),
        );
        active.sort(
          (a, b) =>
            b.lastViolationTime - a.lastViolationTime || a.violationId.localeCompare(b.violationId),
        );
        const page = paginate(
          active,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 250,
        );
        return {
          body: { activeViolations: page.items.map(activeViolation), nextToken: page.nextToken },
        };
      },
    },
    {
      operation: 'ListViolationEvents',
      method: 'GET',
      path: '/violation-events',
      handler: async ({ query }) => {
        const q = new Query(query);
        q.required('startTime');
        q.required('endTime');
        const filter = readFilter(q);
        const events = await state.store.queryEvents({
          startTime: q.time('startTime') ?? 0,
          endTime: q.time('endTime') ?? 0,
          thingName: filter.thingName,
          securityProfileName: filter.securityProfileName,
        });
        const verification = await verificationOf(state, events);
        const selected = events.filter((event) =>
          matches(
            event.thingName,
            event.securityProfileName,
            event.behavior,
            verification.get(event.violationId)?.verificationState ?? 'UNKNOWN',
            filter,
          ),
        );
        const page = paginate(
          selected,
          q.string('nextToken'),
          q.integer('maxResults', { min: 1, max: 250 }) ?? 250,
        );
        return {
          body: {
            violationEvents: page.items.map((event) =>
              violationEvent(event, verification.get(event.violationId)),
            ),
            nextToken: page.nextToken,
          },
        };
      },
    },
    {
      operation: 'PutVerificationStateOnViolation',
      method: 'POST',
      path: '/violations/verification-state/{violationId}',
      handler: async ({ params, body }) => {
        const id = parseParam(violationId, 'violationId', params['violationId']);
        const input = parseBody(verificationBody, body);
        const violation = state.activeViolations.get(id) ?? (await state.store.getViolation(id));
        // The service model lists no ResourceNotFoundException for this operation.
        if (!violation) throw invalidRequest(`Violation "${id}" does not exist`);
        const updated: Violation = { ...violation, verificationState: input.verificationState };
        if (input.verificationStateDescription === undefined)
          delete updated.verificationStateDescription;
        else updated.verificationStateDescription = input.verificationStateDescription;
        await state.store.putEvaluation({ ...emptyWrite(), violations: [updated] });
        if (state.activeViolations.has(id)) state.activeViolations.set(id, updated);
      },
    },
  ];
}

function readFilter(q: Query): ViolationFilter {
  return {
    thingName: q.string('thingName'),
    securityProfileName: q.string('securityProfileName'),
    behaviorCriteriaType: q.oneOf('behaviorCriteriaType', CRITERIA_TYPES),
    listSuppressedAlerts: q.boolean('listSuppressedAlerts'),
    verificationState: q.oneOf('verificationState', VERIFICATION_STATES),
  };
}

/**
 * Applies the list filters. `listSuppressedAlerts=true` selects violations of behaviors with
 * suppressed alerts only; absent or false lists every violation.
 */
function matches(
  thingName: string,
  profileName: string,
  behavior: Behavior,
  verification: VerificationState,
  filter: ViolationFilter,
): boolean {
  if (filter.thingName !== undefined && thingName !== filter.thingName) return false;
  if (filter.securityProfileName !== undefined && profileName !== filter.securityProfileName)
    return false;
  if (
    filter.behaviorCriteriaType !== undefined &&
    classifyBehavior(behavior) !== filter.behaviorCriteriaType
  )
    return false;
  if (filter.listSuppressedAlerts === true && behavior.suppressAlerts !== true) return false;
  if (filter.verificationState !== undefined && verification !== filter.verificationState)
    return false;
  return true;
}

async function verificationOf(
  state: DetectState,
  events: StoredViolationEvent[],
): Promise<Map<string, Violation>> {
  const result = new Map<string, Violation>();
  for (const id of new Set(events.map((event) => event.violationId))) {
    const violation = state.activeViolations.get(id) ?? (await state.store.getViolation(id));
    if (violation) result.set(id, violation);
  }
  return result;
}

function activeViolation(violation: Violation) {
  return {
    violationId: violation.violationId,
    thingName: violation.thingName,
    securityProfileName: violation.securityProfileName,
    behavior: violation.behavior,
    lastViolationValue: violation.lastViolationValue,
    verificationState: violation.verificationState,
    verificationStateDescription: violation.verificationStateDescription,
    lastViolationTime: toEpochSeconds(violation.lastViolationTime),
    violationStartTime: toEpochSeconds(violation.startTime),
    techniques: techniquesForViolation(violation.behavior.metric ?? ''),
  };
}

function violationEvent(event: StoredViolationEvent, violation: Violation | undefined) {
  return {
    violationId: event.violationId,
    thingName: event.thingName,
    securityProfileName: event.securityProfileName,
    behavior: event.behavior,
    metricValue: event.metricValue,
    violationEventType: event.type,
    verificationState: violation?.verificationState ?? 'UNKNOWN',
    verificationStateDescription: violation?.verificationStateDescription,
    violationEventTime: toEpochSeconds(event.time),
    techniques: techniquesForViolation(event.behavior.metric ?? ''),
  };
}
