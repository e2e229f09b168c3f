/**
 * The IoT policy versions that the policy checks judge: the default version of every policy
 * attached to at least one certificate or thing group. The default version is the one AWS IoT
 * enforces, and `REPLACE_DEFAULT_POLICY_VERSION` replaces it. Non-default versions and unattached
 * policies grant nothing until someone makes them operative, so the checks skip them.
 *
 * NOTE: a stored document that no longer validates is skipped too. The registry validates every
 * document on CreatePolicyVersion, so only a hand-built snapshot can hold one.
 */

import type { AuditResource } from '../audit-types.ts';
import type { FleetSnapshot } from '../fleet-snapshot.ts';
import {
  validatePolicyDocument,
  type PolicyDocument,
} from '../../broker/policy/policy-document.ts';

/** The operative version of an attached policy, validated. */
export interface PolicyVersionInUse {
  policyName: string;
  versionId: string;
  document: PolicyDocument;
}

/** Returns the default version of each attached policy, in registry order. */
export function policyVersionsInUse(fleet: FleetSnapshot): PolicyVersionInUse[] {
  const inUse: PolicyVersionInUse[] = [];
  for (const policy of fleet.policies) {
    if ((fleet.policyTargets[policy.policyName] ?? []).length === 0) continue;
    const version = policy.versions.find((item) => item.versionId === policy.defaultVersionId);
    const document = version && validatePolicyDocument(version.document).document;
    if (version === undefined || document === undefined) continue;
    inUse.push({ policyName: policy.policyName, versionId: version.versionId, document });
  }
  return inUse;
}

/** Names a policy version as a finding's resource. */
export function policyVersionResource(version: PolicyVersionInUse): AuditResource {
  return {
    resourceType: 'IOT_POLICY',
    resourceIdentifier: {
      policyVersionIdentifier: {
        policyName: version.policyName,
        policyVersionId: version.versionId,
      },
    },
  };
}

/** Names a policy version for a reason text: `policy "device" version 3`. */
export function describePolicyVersion(version: PolicyVersionInUse): string {
  return `policy ${JSON.stringify(version.policyName)} version ${version.versionId}`;
}
