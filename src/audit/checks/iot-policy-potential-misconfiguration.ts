/**
 * IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: IoT policies whose Deny statements probably do not
 * deny what their authors meant. A policy version gets one finding per reason code:
 * `POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT` for a Deny on a topic or topic filter with
 * `+` or `#`, and `TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS` for a Deny on
 * `topicfilter/P*` that an allowed MQTT wildcard filter gets around. Each policy is judged alone,
 * without the other policies attached to the same targets.
 */

import type { AuditCheck } from '../audit-check.ts';
import type { NonCompliance } from '../audit-types.ts';
import {
  bypassedDenials,
  wildcardDenials,
  type DenyProblem,
} from '../analysis/deny-misconfiguration.ts';
import { describeStatement } from '../analysis/permission-grants.ts';
import { rejectsConfiguration } from './check-configuration.ts';
import {
  describePolicyVersion,
  policyVersionResource,
  policyVersionsInUse,
  type PolicyVersionInUse,
} from './policy-versions.ts';

const NAME = 'IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK';

/** Reports attached policies with Deny statements that MQTT wildcards defeat. */
export const iotPolicyPotentialMisconfigurationCheck: AuditCheck = {
  name: NAME,
  severity: 'MEDIUM',
  enabledByDefault: true,
  validateConfiguration: rejectsConfiguration(NAME),
  run({ fleet, now }) {
    const versions = policyVersionsInUse(fleet);
    const nonCompliant: NonCompliance[] = [];
    for (const version of versions) {
      const literal = wildcardDenials(version.document, fleet);
      if (literal.length > 0) nonCompliant.push(wildcardFinding(version, literal));

      const bypassed = bypassedDenials(version.policyName, version.document, fleet, now);
      if (bypassed.length > 0) nonCompliant.push(bypassFinding(version, bypassed));
    }
    return { totalResourcesCount: versions.length, nonCompliant };
  },
};

function wildcardFinding(version: PolicyVersionInUse, problems: DenyProblem[]): NonCompliance {
  const details = problems.map(
    (problem) =>
      `${describeStatement(problem.statement)} denies ${problem.actions.join(', ')} on ${JSON.stringify(problem.resource)}, where "+" and "#" match only themselves`,
  );
  return {
    resource: policyVersionResource(version),
    relatedResources: [],
    reasonForNonCompliance: `Policy contains MQTT wildcards in a Deny statement, which IoT policies treat as literal characters. In ${describePolicyVersion(version)}, ${details.join('; ')}.`,
    reasonForNonComplianceCode: 'POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT',
  };
}

function bypassFinding(version: PolicyVersionInUse, problems: DenyProblem[]): NonCompliance {
  const details = problems.map(
    (problem) =>
      `${describeStatement(problem.statement)} denies iot:Subscribe on ${JSON.stringify(problem.resource)}, but the topic filter ${JSON.stringify(problem.bypass?.topicFilter)} is allowed and iot:Receive delivers ${JSON.stringify(problem.bypass?.topic)} to it`,
  );
  return {
    resource: policyVersionResource(version),
    relatedResources: [],
    reasonForNonCompliance: `Policy denies topic filters that an allowed MQTT wildcard subscription gets around. In ${describePolicyVersion(version)}, ${details.join('; ')}.`,
    reasonForNonComplianceCode: 'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS',
  };
}
