/**
 * The JSON report: `findings` exactly as ListAuditFindings returns them, so tools written for the
 * AWS response read it unchanged, and a `summary` with the per-check details and the outcome.
 */

import {
  countBySeverity,
  failingFindings,
  incompleteReason,
  reportExitCode,
  type AuditReport,
} from './audit-report.ts';

/** Renders the report as indented JSON, ending with a newline. */
export function formatJson(report: AuditReport): string {
  const failing = failingFindings(report);
  const incomplete = incompleteReason(report);
  const summary = {
    source: report.source,
    taskId: report.taskId,
    taskStatus: report.taskStatus,
    taskStartTime: report.taskStartTime,
    failOn: report.failOn,
    exitCode: reportExitCode(report),
    ...(incomplete === undefined ? {} : { incompleteReason: incomplete }),
    checks: report.checks.map((check) => ({
      checkName: check.checkName,
      ...(check.severity === undefined ? {} : { severity: check.severity }),
      ...check.details,
    })),
    findingCounts: {
      total: report.findings.length,
      suppressed: report.findings.filter((finding) => finding.isSuppressed).length,
      bySeverity: countBySeverity(report.findings),
      failing: failing.length,
    },
    checksNotRun: report.notRun,
    skippedInputs: report.skipped,
  };
  return `${JSON.stringify({ findings: report.findings, summary }, null, 2)}\n`;
}
