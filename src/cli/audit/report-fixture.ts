/** Hand-built audit reports for the format and exit-code tests. */

import type { AuditSeverity } from '../../audit/audit-types.ts';
import type { AuditFindingJson, AuditReport } from './audit-report.ts';

/** Builds a finding of the given check and severity on a client ID resource. */
export function finding(
  checkName: string,
  severity: AuditSeverity,
  options: { suppressed?: boolean; clientId?: string } = {},
): AuditFindingJson {
  const clientId = options.clientId ?? `${checkName.toLowerCase()}-client`;
  return {
    findingId: `finding-${checkName}-${clientId}`,
    taskId: 'task-1',
    checkName,
    taskStartTime: 1_796_000_000,
    findingTime: 1_796_000_001,
    severity,
    nonCompliantResource: { resourceType: 'CLIENT_ID', resourceIdentifier: { clientId } },
    relatedResources: [],
    reasonForNonCompliance: `Client ID ${clientId} is shared`,
    reasonForNonComplianceCode: 'TEST_SHARED',
    isSuppressed: options.suppressed ?? false,
  };
}

/** Builds an online report of a completed task with the given findings, one check per name. */
export function report(
  findings: AuditFindingJson[],
  overrides: Partial<AuditReport> = {},
): AuditReport {
  const names = [...new Set(findings.map((item) => item.checkName))];
  return {
    source: { kind: 'online', endpoint: 'http://127.0.0.1:8080' },
    taskId: 'task-1',
    taskStatus: 'COMPLETED',
    taskStartTime: 1_796_000_000,
    checks: names.map((checkName) => ({
      checkName,
      severity: findings.find((item) => item.checkName === checkName)?.severity ?? 'LOW',
      details: {
        checkRunStatus: 'COMPLETED_NON_COMPLIANT',
        checkCompliant: false,
        totalResourcesCount: 3,
        nonCompliantResourcesCount: findings.filter((item) => item.checkName === checkName).length,
        suppressedNonCompliantResourcesCount: 0,
      },
    })),
    findings,
    failOn: 'LOW',
    notRun: [],
    skipped: [],
    locations: new Map(),
    ...overrides,
  };
}
