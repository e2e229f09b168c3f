/**
 * The AWS IoT action categories that the Device Defender permission checks use, from the check
 * pages for the Cognito role, role alias and IoT policy checks. List A holds thing administration
 * writes, list B thing administration reads and list C every other administrative action. List D
 * holds the MQTT actions and list E the shadow and job-execution data APIs.
 */

import type { PatternList } from '../../broker/policy/policy-document.ts';
import { compileWildcardText } from '../../broker/policy/wildcard.ts';
import { IOT_ACTIONS } from './iot-action-catalogue.ts';

function iot(names: string): readonly string[] {
  return names.split(' ').map((name) => `iot:${name}`);
}

/** List A: thing management and modification, never allowed for Cognito roles. */
export const THING_ADMIN_WRITE_ACTIONS = iot(
  'AddThingToThingGroup AttachThingPrincipal CreateThing DeleteThing DetachThingPrincipal ' +
    'ListThings ListThingsInThingGroup RegisterThing RemoveThingFromThingGroup UpdateThing ' +
    'UpdateThingGroupsForThing',
);

/** List B: thing administration reads, allowed for authenticated roles only on named things. */
export const THING_ADMIN_READ_ACTIONS = iot(
  'DescribeThing ListJobExecutionsForThing ListThingGroupsForThing ListThingPrincipals',
);

/** List D: the MQTT actions whose resources must be scoped to the device (iot:Receive is exempt). */
export const MQTT_ACTIONS = iot('Connect Publish Subscribe');

/** List E: shadow and job-execution APIs whose `thing/` resources must name specific things. */
export const THING_DATA_ACTIONS = iot(
  'DeleteThingShadow GetThingShadow UpdateThingShadow DescribeJobExecution ' +
    'GetPendingJobExecutions StartNextPendingJobExecution UpdateJobExecution',
);

/**
 * Device actions in no list: receiving is governed by the subscription, and the others act on the
 * device's own data or credentials. NOTE: the check pages do not classify these; Warden keeps them
 * out of list C so that a device policy is not reported as administrative.
 */
export const OTHER_DEVICE_ACTIONS = iot(
  'Receive RetainPublish GetRetainedMessage ListRetainedMessages ListNamedShadowsForThing ' +
    'AssumeRoleWithCertificate',
);

/** The data-plane actions that the breadth rules apply to: lists D and E. */
export const DATA_PLANE_ACTIONS: readonly string[] = [...MQTT_ACTIONS, ...THING_DATA_ACTIONS];

const CLASSIFIED = new Set(
  [
    ...THING_ADMIN_WRITE_ACTIONS,
    ...THING_ADMIN_READ_ACTIONS,
    ...DATA_PLANE_ACTIONS,
    ...OTHER_DEVICE_ACTIONS,
  ].map((action) => action.toLowerCase()),
);

/** List C: every other AWS IoT action, such as iot:CreatePolicy or iot:UpdateCertificate. */
export const NON_THING_ADMIN_ACTIONS: readonly string[] = IOT_ACTIONS.filter(
  (action) => !CLASSIFIED.has(action.toLowerCase()),
);

/** Returns the candidates that an `Action` or `NotAction` list covers; names compare case-insensitively. */
export function coveredActions(actions: PatternList, candidates: readonly string[]): string[] {
  const matchers = actions.patterns.map((pattern) =>
    compileWildcardText(pattern, { ignoreCase: true }),
  );
  return candidates.filter(
    (action) => matchers.some((matcher) => matcher.test(action)) !== actions.negated,
  );
}
