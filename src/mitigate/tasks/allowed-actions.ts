import { invalidRequest } from '../../core/errors.ts';
import type { MitigationAction, MitigationActionType } from '../mitigation-types.ts';

/**
 * Action types valid for the findings of each audit check and for violations. The AWS part
 * follows the Device Defender table of checks and mitigation actions. Warden's own types
 * (DISCONNECT_CLIENT, BAN, THROTTLE_PUBLISH) act on client IDs and things, so they are valid for
 * exactly the checks whose findings lead to a device: a device certificate (and through it its
 * things and sessions) or a client ID.
 */

const SNS = 'PUBLISH_FINDING_TO_SNS';
const DEVICE: readonly MitigationActionType[] = [
  SNS,
  'UPDATE_DEVICE_CERTIFICATE',
  'ADD_THINGS_TO_THING_GROUP',
  'DISCONNECT_CLIENT',
  'BAN',
  'THROTTLE_PUBLISH',
];
const CA: readonly MitigationActionType[] = [SNS, 'UPDATE_CA_CERTIFICATE'];
const POLICY: readonly MitigationActionType[] = [SNS, 'REPLACE_DEFAULT_POLICY_VERSION'];
const NOTIFY_ONLY: readonly MitigationActionType[] = [SNS];

/** Action types valid for the findings of each audit check. */
export const AUDIT_CHECK_ACTION_TYPES: Readonly<Record<string, readonly MitigationActionType[]>> = {
  AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: NOTIFY_ONLY,
  CA_CERTIFICATE_EXPIRING_CHECK: CA,
  CA_CERTIFICATE_KEY_QUALITY_CHECK: CA,
  CONFLICTING_CLIENT_IDS_CHECK: [SNS, 'DISCONNECT_CLIENT', 'BAN', 'THROTTLE_PUBLISH'],
  // NOTE: AWS documents only SNS for the age check. The device-certificate actions are Warden's
  // choice, because the age check's findings name a device certificate like the expiring check's.
  DEVICE_CERTIFICATE_AGE_CHECK: DEVICE,
  DEVICE_CERTIFICATE_EXPIRING_CHECK: DEVICE,
  DEVICE_CERTIFICATE_KEY_QUALITY_CHECK: DEVICE,
  DEVICE_CERTIFICATE_SHARED_CHECK: DEVICE,
  INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK: DEVICE,
  IOT_POLICY_OVERLY_PERMISSIVE_CHECK: POLICY,
  IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: POLICY,
  IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK: NOTIFY_ONLY,
  IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK: NOTIFY_ONLY,
  LOGGING_DISABLED_CHECK: [SNS, 'ENABLE_IOT_LOGGING'],
  REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK: CA,
  REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK: DEVICE,
  UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: NOTIFY_ONLY,
};

/**
 * Action types valid for Detect violations. AWS allows only ADD_THINGS_TO_THING_GROUP; Warden
 * adds every type that acts on the violating thing alone. UPDATE_CA_CERTIFICATE,
 * REPLACE_DEFAULT_POLICY_VERSION and ENABLE_IOT_LOGGING stay out because they change a CA, a
 * policy or the account settings that other devices share.
 */
export const DETECT_ACTION_TYPES: readonly MitigationActionType[] = [
  'ADD_THINGS_TO_THING_GROUP',
  'UPDATE_DEVICE_CERTIFICATE',
  'PUBLISH_FINDING_TO_SNS',
  'DISCONNECT_CLIENT',
  'BAN',
  'THROTTLE_PUBLISH',
];

/**
 * Checks that every action may act on findings of the check.
 * @throws WardenError InvalidRequestException for an unknown check or an action of another type.
 */
export function assertValidForCheck(checkName: string, actions: MitigationAction[]): void {
  const allowed = AUDIT_CHECK_ACTION_TYPES[checkName];
  if (allowed === undefined)
    throw invalidRequest(`Unknown audit check "${checkName}" in auditCheckToActionsMapping`);
  for (const action of actions) {
    if (!allowed.includes(action.actionType)) {
      throw invalidRequest(
        `Cannot apply mitigation action "${action.actionName}" (${action.actionType}) to findings of "${checkName}": valid action types are ${allowed.join(', ')}`,
      );
    }
  }
}

/**
 * Checks that every action may act on a violating thing.
 * @throws WardenError InvalidRequestException for an action of another type.
 */
export function assertValidForViolations(actions: MitigationAction[]): void {
  for (const action of actions) {
    if (!DETECT_ACTION_TYPES.includes(action.actionType)) {
      throw invalidRequest(
        `Cannot apply mitigation action "${action.actionName}" (${action.actionType}) to violations: valid action types are ${DETECT_ACTION_TYPES.join(', ')}`,
      );
    }
  }
}
