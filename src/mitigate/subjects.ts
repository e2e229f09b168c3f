import { toEpochSeconds } from '../api/timestamps.ts';
import type { StoredFinding } from '../audit/audit-records.ts';
import type { Violation } from '../detect/detect-records.ts';

// NOTE: these repeat the response shapes of DescribeAuditFinding and ListActiveViolations,
// because the API modules do not export their builders. A change to either shape must be made
// in both places.

/** The embedded related-resource list of a finding is capped at 10, as DescribeAuditFinding does. */
const EMBEDDED_RELATED = 10;

/** A finding as DescribeAuditFinding returns it: times in epoch seconds. */
export function findingSubject(finding: StoredFinding): Record<string, unknown> {
  return {
    findingId: finding.findingId,
    taskId: finding.taskId,
    checkName: finding.checkName,
    taskStartTime: toEpochSeconds(finding.taskStartTime),
    findingTime: toEpochSeconds(finding.findingTime),
    severity: finding.severity,
    nonCompliantResource: finding.nonCompliantResource,
    relatedResources: finding.relatedResources.slice(0, EMBEDDED_RELATED),
    reasonForNonCompliance: finding.reasonForNonCompliance,
    reasonForNonComplianceCode: finding.reasonForNonComplianceCode,
    isSuppressed: finding.isSuppressed,
  };
}

/** A violation as ListActiveViolations returns it: times in epoch seconds, absent members left out. */
export function violationSubject(violation: Violation): Record<string, unknown> {
  const subject: Record<string, unknown> = {
    violationId: violation.violationId,
    thingName: violation.thingName,
    securityProfileName: violation.securityProfileName,
    behavior: violation.behavior,
    verificationState: violation.verificationState,
    lastViolationTime: toEpochSeconds(violation.lastViolationTime),
    violationStartTime: toEpochSeconds(violation.startTime),
  };
  if (violation.lastViolationValue !== undefined)
    subject['lastViolationValue'] = violation.lastViolationValue;
  if (violation.verificationStateDescription !== undefined)
    subject['verificationStateDescription'] = violation.verificationStateDescription;
  return subject;
}
