/**
 * AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: identity pools whose authenticated role
 * allows too much. The role may not allow thing administration writes (list A) or other IoT
 * administration (list C) on any resource. It may allow thing administration reads (list B) only
 * on named things or a literal prefix (`thing/MyThing*`), and MQTT, shadow and job-execution
 * access only for the identity's own device.
 *
 * NOTE: the check page names broad data-plane access as non-compliant but lists no reason code
 * for it; Warden reports it as `ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS`, the code the
 * unauthenticated check uses.
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

const NAME = 'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK';

/** Rules of the check: each reason code with its summary and the grants that cause it. */
const RULES: readonly GrantRule[] = [
  {
    code: 'ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS',
    summary: 'Authenticated role allows thing administration write actions',
    find: (document, fleet) => actionGrants(document, THING_ADMIN_WRITE_ACTIONS, fleet),
  },
  {
    code: 'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS',
    summary: 'Authenticated role allows IoT administrative actions unrelated to things',
    find: (document, fleet) => actionGrants(document, NON_THING_ADMIN_ACTIONS, fleet),
  },
  {
    code: 'ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS',
    summary: 'Authenticated role allows thing administration read actions on a broad set of things',
    find: (document, fleet) =>
      broadGrants(document, THING_ADMIN_READ_ACTIONS, () => 'thing', fleet),
  },
  {
    code: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
    summary: 'Authenticated role allows broad access to IoT data plane actions',
    find: (document, fleet) => broadGrants(document, DATA_PLANE_ACTIONS, resourceKindOf, fleet),
  },
];

/** Reports recently used pools whose authenticated role can administer or reach other devices. */
export const authenticatedCognitoRoleOverlyPermissiveCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet, now }) {
    const pools = poolsToJudge(fleet, now, (pool) => pool.authenticatedRoleArn);
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
