/**
 * Pool scope and finding shape shared by the two Cognito role checks.
 * AWS examines every pool whose identities connected to the message broker in the 31 days before
 * the audit, and judges the pool by the policies of its authenticated or unauthenticated role.
 */

import type { NonCompliance } from '../audit-types.ts';
import type { FleetSnapshot, IdentityPoolRecord } from '../fleet-snapshot.ts';
import { DAY_MS } from './certificate-scope.ts';
import {
  describeRoleGrants,
  iamRoleResource,
  rolePermissions,
  type DocumentGrants,
  type RolePermissions,
} from './role-permissions.ts';

/** How far back a pool's last broker connection may be for the pool to be examined. */
export const POOL_ACTIVITY_DAYS = 31;

/** A pool in scope with the role a check judges. */
export interface PoolRole {
  pool: IdentityPoolRecord;
  role: RolePermissions;
}

/** Returns the pools used in the last 31 days whose chosen role the fleet contains. */
export function poolsToJudge(
  fleet: FleetSnapshot,
  now: number,
  roleOf: (pool: IdentityPoolRecord) => string | undefined,
): PoolRole[] {
  const since = now - POOL_ACTIVITY_DAYS * DAY_MS;
  return fleet.identityPools.flatMap((pool) => {
    const roleArn = roleOf(pool);
    if (pool.lastUsedAt === undefined || pool.lastUsedAt < since || roleArn === undefined)
      return [];
    const role = rolePermissions(fleet, roleArn);
    return role === undefined ? [] : [{ pool, role }];
  });
}

/** Builds a pool's finding for one reason code from the grants that cause it. */
export function poolFinding(
  { pool, role }: PoolRole,
  code: string,
  summary: string,
  found: readonly DocumentGrants[],
): NonCompliance {
  return {
    resource: {
      resourceType: 'COGNITO_IDENTITY_POOL',
      resourceIdentifier: { cognitoIdentityPoolId: pool.identityPoolId },
    },
    relatedResources: [iamRoleResource(role.roleArn)],
    reasonForNonCompliance: `${summary}: ${describeRoleGrants(role, found)}.`,
    reasonForNonComplianceCode: code,
  };
}
