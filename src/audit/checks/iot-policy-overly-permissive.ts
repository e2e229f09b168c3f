/**
 * IOT_POLICY_OVERLY_PERMISSIVE_CHECK: IoT policies that give broad (multi-device) access to MQTT
 * or to the shadow and job-execution APIs. The breadth rules are in
 * `src/audit/analysis/iot-resource-breadth.ts`; iot:Receive is never reported, because a client
 * only receives what it may subscribe to.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import { DATA_PLANE_ACTIONS } from '../analysis/iot-action-lists.ts';
import { resourceKindOf } from '../analysis/iot-resource-breadth.ts';
import {
  broadGrants,
  describeGrants,
  grantedActions,
  listActions,
} from '../analysis/permission-grants.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  describePolicyVersion,
  policyVersionResource,
  policyVersionsInUse,
} from './policy-versions.ts';

const NAME = 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK';

/** Reports attached policies whose default version reaches many devices' data. */
export const iotPolicyOverlyPermissiveCheck: AuditCheck = {
  name: NAME,
  severity: 'CRITICAL',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet }) {
    const versions = policyVersionsInUse(fleet);
    const nonCompliant: NonCompliance[] = [];
    for (const version of versions) {
      const grants = broadGrants(version.document, DATA_PLANE_ACTIONS, resourceKindOf, fleet);
      if (grants.length === 0) continue;
      nonCompliant.push({
        resource: policyVersionResource(version),
        relatedResources: [],
        reasonForNonCompliance: `Policy allows broad access to IoT data plane actions: [${listActions(grantedActions(grants))}]. In ${describePolicyVersion(version)}, ${describeGrants(grants)}.`,
        reasonForNonComplianceCode: 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS',
      });
    }
    return { totalResourcesCount: versions.length, nonCompliant };
  },
};
