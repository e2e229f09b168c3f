/**
 * UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: identity pools whose unauthenticated role
 * allows any AWS IoT administrative action (lists A, B and C, even on one thing), or broad access
 * to MQTT, shadows or job executions. Anyone can obtain that role's credentials.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import {
  DATA_PLANE_ACTIONS,
  NON_THING_ADMIN_ACTIONS,
  THING_ADMIN_READ_ACTIONS,
  THING_ADMIN_WRITE_ACTIONS,
} from '../analysis/iot-action-lists.ts';
import { resourceKindOf } from '../analysis/iot-resource-breadth.ts';
import { actionGrants, broadGrants } from '../analysis/permission-grants.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import { poolFinding, poolsToJudge } from './cognito-role-permissions.ts';
import { grantsPerDocument, type GrantRule } from './role-permissions.ts';

const NAME = 'UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK';

const ADMIN_ACTIONS: readonly string[] = [
  ...THING_ADMIN_WRITE_ACTIONS,
  ...THING_ADMIN_READ_ACTIONS,
  ...NON_THING_ADMIN_ACTIONS,
];

/** Rules of the check: each reason code with its summary and the grants that cause it. */
const RULES: readonly GrantRule[] = [
  {
    code: 'ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS',
    summary: 'Unauthenticated role allows access to IoT administrative actions',
    find: (document, fleet) => actionGrants(document, ADMIN_ACTIONS, fleet),
  },
  {
    code: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    summary: 'Unauthenticated role allows broad access to IoT data plane actions',
    find: (document, fleet) => broadGrants(document, DATA_PLANE_ACTIONS, resourceKindOf, fleet),
  },
];

/** Reports recently used pools whose unauthenticated role reaches beyond one device. */
export const unauthenticatedCognitoRoleOverlyPermissiveCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet, now }) {
    const pools = poolsToJudge(fleet, now, (pool) => pool.unauthenticatedRoleArn);
    const nonCompliant: NonCompliance[] = [];
    for (const item of pools) {
      for (const rule of RULES) {
        const found = grantsPerDocument(item.role, (document) => rule.find(document, fleet));
        if (found.length > 0) nonCompliant.push(poolFinding(item, rule.code, rule.summary, found));
      }
    }
    return { totalResourcesCount: pools.length, nonCompliant };
  },
};
