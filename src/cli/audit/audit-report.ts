/**
 * The result of one `warden audit` run, online or offline, in the AWS shapes (ListAuditFindings
 * findings, DescribeAuditTask `auditDetails`), and the exit code it leads to. Every output format
 * renders this one model, so the formats agree.
 */

import type { TechniqueRef } from '../../attack/catalog-types.ts';
import { techniquesOfFinding } from '../../attack/finding-techniques.ts';
import type { AuditTaskStatus, CheckDetails, StoredFinding } from '../../audit/audit-records.ts';
import type { AuditResource, AuditSeverity } from '../../audit/audit-types.ts';
import type { CheckNotRun } from '../../audit/offline/check-inputs.ts';
import type { OfflineProblem, SourceLocation } from '../../audit/offline/offline-inputs.ts';
import { toEpochSeconds } from '../../api/timestamps.ts';

/** An `AuditFinding` as ListAuditFindings returns it; times are epoch seconds. */
export interface AuditFindingJson {
  findingId: string;
  taskId: string;
  checkName: string;
  taskStartTime: number;
  findingTime: number;
  severity: AuditSeverity;
  nonCompliantResource: AuditResource;
  relatedResources: AuditResource[];
  reasonForNonCompliance: string;
  reasonForNonComplianceCode: string;
  isSuppressed: boolean;
  /** ATT&CK techniques, as the API adds them; reports compute them when absent. */
  techniques?: TechniqueRef[];
}

/** One check of the task: its severity when known and its `auditDetails` entry. */
export interface CheckSummary {
  checkName: string;
  severity?: AuditSeverity;
  details: CheckDetails;
}

export type ReportSource =
  { kind: 'online'; endpoint: string } | { kind: 'offline'; folder: string; fileCount: number };

export interface AuditReport {
  source: ReportSource;
  taskId: string;
  taskStatus: AuditTaskStatus;
  /** Epoch seconds, as DescribeAuditTask returns it. */
  taskStartTime: number;
  checks: CheckSummary[];
  findings: AuditFindingJson[];
  failOn: AuditSeverity;
  /** Checks an offline audit left out, with the reason. */
  notRun: CheckNotRun[];
  /** Files and entries an offline audit could not read. */
  skipped: OfflineProblem[];
  /** Offline: finding id to the file its resource was read from. */
  locations: Map<string, SourceLocation>;
}

/** Exit codes of `warden audit`. */
export const AUDIT_EXIT = {
  /** No unsuppressed finding at or above `--fail-on`. */
  compliant: 0,
  /** At least one unsuppressed finding at or above `--fail-on`. */
  findings: 1,
  /** A usage error, an unreachable Warden, an unreadable folder, or an audit that did not complete. */
  error: 2,
} as const;

const RANK: Record<AuditSeverity, number> = { LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

/** Orders severities from LOW (1) to CRITICAL (4). */
export function severityRank(severity: AuditSeverity): number {
  return RANK[severity];
}

/** Returns the unsuppressed findings at or above the report's `failOn` severity. */
export function failingFindings(report: AuditReport): AuditFindingJson[] {
  const threshold = severityRank(report.failOn);
  return report.findings.filter(
    (finding) => !finding.isSuppressed && severityRank(finding.severity) >= threshold,
  );
}

/** Explains why the audit did not complete (a task or check failed or was canceled), if so. */
export function incompleteReason(report: AuditReport): string | undefined {
  if (report.taskStatus !== 'COMPLETED')
    return `the audit task "${report.taskId}" is ${report.taskStatus}`;
  const failed = report.checks.filter((check) => check.details.checkRunStatus === 'FAILED');
  if (failed.length === 0) return undefined;
  const names = failed.map((check) => check.checkName).join(', ');
  return `${failed.length === 1 ? 'check' : 'checks'} ${names} failed`;
}

/** Computes the exit code: 2 when the audit did not complete, 1 for failing findings, else 0. */
export function reportExitCode(report: AuditReport): number {
  if (incompleteReason(report) !== undefined) return AUDIT_EXIT.error;
  return failingFindings(report).length > 0 ? AUDIT_EXIT.findings : AUDIT_EXIT.compliant;
}

/** Sorts checks and findings most severe first, then by check name, then by resource. */
export function sortReport(report: AuditReport): AuditReport {
  const bySeverity = (a?: AuditSeverity, b?: AuditSeverity) =>
    (b === undefined ? 0 : severityRank(b)) - (a === undefined ? 0 : severityRank(a));
  const checks = [...report.checks].sort(
    (a, b) => bySeverity(a.severity, b.severity) || compare(a.checkName, b.checkName),
  );
  const findings = [...report.findings].sort(
    (a, b) =>
      bySeverity(a.severity, b.severity) ||
      compare(a.checkName, b.checkName) ||
      compare(
        JSON.stringify(a.nonCompliantResource.resourceIdentifier),
        JSON.stringify(b.nonCompliantResource.resourceIdentifier),
      ),
  );
  return { ...report, checks, findings };
}

/** Converts a stored finding to the ListAuditFindings shape, for the offline audit. */
export function findingJson(finding: StoredFinding): AuditFindingJson {
  return {
    findingId: finding.findingId,
    taskId: finding.taskId,
    checkName: finding.checkName,
    taskStartTime: toEpochSeconds(finding.taskStartTime),
    findingTime: toEpochSeconds(finding.findingTime),
    severity: finding.severity,
    nonCompliantResource: finding.nonCompliantResource,
    relatedResources: finding.relatedResources,
    reasonForNonCompliance: finding.reasonForNonCompliance,
    reasonForNonComplianceCode: finding.reasonForNonComplianceCode,
    isSuppressed: finding.isSuppressed,
    techniques: techniquesOfFinding(finding),
  };
}

/** Returns the techniques of a finding: as the API sent them, or from the catalog. */
export function findingTechniqueRefs(finding: AuditFindingJson): TechniqueRef[] {
  return finding.techniques ?? techniquesOfFinding(finding);
}

/** Counts findings by severity, most severe first, leaving out severities with none. */
export function countBySeverity(
  findings: readonly AuditFindingJson[],
): Partial<Record<AuditSeverity, number>> {
  const counts: Partial<Record<AuditSeverity, number>> = {};
  for (const severity of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const) {
    const count = findings.filter((finding) => finding.severity === severity).length;
    if (count > 0) counts[severity] = count;
  }
  return counts;
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
