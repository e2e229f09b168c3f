/**
 * The operations each key policy may call. Every key may read (Describe, List, Get, Validate).
 * An operator also runs the fleet: audits, mitigation tasks, suppressions, certificate status,
 * things and group membership, reports and rollbacks. Only an admin changes the security setup:
 * profiles, metrics, dimensions, audit configuration, actions, policies, CAs, logging, identities
 * and automatic responses.
 */

import { WardenError } from '../../core/errors.ts';
import type { KeyPolicy, Principal } from '../../keys/api-key.ts';

export type AccessLevel = 'read' | 'operate' | 'administer';

const READ_PREFIXES = ['Describe', 'List', 'Get', 'Validate'];

const OPERATE: ReadonlySet<string> = new Set([
  'SubmitMetricsReport',
  'StartOnDemandAuditTask',
  'CancelAuditTask',
  'StartAuditMitigationActionsTask',
  'CancelAuditMitigationActionsTask',
  'StartDetectMitigationActionsTask',
  'CancelDetectMitigationActionsTask',
  'CreateAuditSuppression',
  'UpdateAuditSuppression',
  'DeleteAuditSuppression',
  'PutVerificationStateOnViolation',
  'RollBackMitigationExecution',
  'CreateThing',
  'UpdateThing',
  'DeleteThing',
  'AddThingToThingGroup',
  'RemoveThingFromThingGroup',
  'AttachThingPrincipal',
  'DetachThingPrincipal',
  'RegisterCertificate',
  'UpdateCertificate',
  'DeleteCertificate',
]);

const ALLOWED: Record<KeyPolicy, ReadonlySet<AccessLevel>> = {
  'read-only': new Set(['read']),
  operator: new Set(['read', 'operate']),
  admin: new Set(['read', 'operate', 'administer']),
};

const NEEDS: Record<KeyPolicy, string> = {
  'read-only': 'any key',
  operator: 'an operator or admin key',
  admin: 'an admin key',
};

/** Returns the level an operation needs, the highest for unknown names. */
export function accessLevel(operation: string): AccessLevel {
  if (operation === 'Health' || READ_PREFIXES.some((prefix) => operation.startsWith(prefix))) {
    return 'read';
  }
  return OPERATE.has(operation) ? 'operate' : 'administer';
}

/** Returns the lowest key policy that may call an operation. */
export function lowestPolicy(operation: string): KeyPolicy {
  const level = accessLevel(operation);
  if (level === 'read') return 'read-only';
  return level === 'operate' ? 'operator' : 'admin';
}

/**
 * Refuses an operation the caller's policy does not allow.
 * @throws WardenError AccessDeniedException naming the key, its policy and the operation.
 */
export function authorize(principal: Principal, operation: string): void {
  if (ALLOWED[principal.policy].has(accessLevel(operation))) return;
  throw new WardenError(
    'AccessDeniedException',
    `Key "${principal.name}" (${principal.policy}) may not call ${operation}: it needs ${NEEDS[lowestPolicy(operation)]}`,
  );
}
