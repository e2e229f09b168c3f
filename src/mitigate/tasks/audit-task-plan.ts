import type { StoredFinding } from '../../audit/audit-records.ts';
import type { AuditStore } from '../../audit/audit-store.ts';
import { invalidRequest } from '../../core/errors.ts';
import type { AuditMitigationTarget, FindingStatistics, PlannedFinding } from './task-records.ts';

/** The parts of the audit store a mitigation task reads. */
export type AuditFindingSource = Pick<AuditStore, 'getTask' | 'getFinding' | 'listFindings'>;

/** A finding a task covers, with the stored finding the runner resolves its target from. */
export interface SelectedFinding {
  planned: PlannedFinding;
  finding: StoredFinding;
}

const TARGET_FORMS =
  'give findingIds alone, or auditTaskId with an optional auditCheckToReasonCodeFilter';

/**
 * Selects the findings a task covers, in the order it runs them. Named findings must exist and
 * be of a mapped check. An audit's findings of unmapped checks are ignored. Those the reason-code
 * filter leaves out, and suppressed findings, are covered but skipped, so the statistics count
 * them as `skippedFindingsCount`.
 * @throws WardenError InvalidRequestException for a malformed target, or an unknown audit or
 *   finding.
 */
export async function selectFindings(
  audit: AuditFindingSource,
  target: AuditMitigationTarget,
  mapping: Record<string, string[]>,
): Promise<SelectedFinding[]> {
  const named = target.findingIds !== undefined;
  const hasFilter = target.auditCheckToReasonCodeFilter !== undefined;
  if (named && (target.auditTaskId !== undefined || hasFilter))
    throw invalidRequest(`Invalid target: ${TARGET_FORMS}`);
  if (named) return namedFindings(audit, target.findingIds ?? [], mapping);
  if (target.auditTaskId === undefined) throw invalidRequest(`Invalid target: ${TARGET_FORMS}`);
  return auditFindings(audit, target.auditTaskId, target.auditCheckToReasonCodeFilter, mapping);
}

/** Zero counts for each mapped check, with the totals of the selected findings. */
export function initialStatistics(
  mapping: Record<string, string[]>,
  selected: SelectedFinding[],
): Record<string, FindingStatistics> {
  const statistics: Record<string, FindingStatistics> = {};
  for (const checkName of Object.keys(mapping)) {
    statistics[checkName] = {
      totalFindingsCount: 0,
      failedFindingsCount: 0,
      succeededFindingsCount: 0,
      skippedFindingsCount: 0,
      canceledFindingsCount: 0,
    };
  }
  for (const { planned } of selected) {
    const counts = statistics[planned.checkName];
    if (counts) counts.totalFindingsCount += 1;
  }
  return statistics;
}

async function namedFindings(
  audit: AuditFindingSource,
  findingIds: string[],
  mapping: Record<string, string[]>,
): Promise<SelectedFinding[]> {
  const selected: SelectedFinding[] = [];
  for (const findingId of new Set(findingIds)) {
    const finding = await audit.getFinding(findingId);
    if (!finding) throw invalidRequest(`Audit finding "${findingId}" does not exist`);
    if (mapping[finding.checkName] === undefined) {
      throw invalidRequest(
        `Audit finding "${findingId}" is of check "${finding.checkName}", which auditCheckToActionsMapping does not map`,
      );
    }
    selected.push(select(finding, suppressedReason(finding)));
  }
  return selected;
}

async function auditFindings(
  audit: AuditFindingSource,
  auditTaskId: string,
  filter: Record<string, string[]> | undefined,
  mapping: Record<string, string[]>,
): Promise<SelectedFinding[]> {
  if (!(await audit.getTask(auditTaskId)))
    throw invalidRequest(`Audit task "${auditTaskId}" does not exist`);
  for (const checkName of Object.keys(filter ?? {})) {
    if (mapping[checkName] === undefined) {
      throw invalidRequest(
        `Check "${checkName}" in auditCheckToReasonCodeFilter is not in auditCheckToActionsMapping`,
      );
    }
  }

  const findings = await audit.listFindings({ taskId: auditTaskId });
  return findings
    .filter((finding) => mapping[finding.checkName] !== undefined)
    .map((finding) => select(finding, filterReason(finding, filter) ?? suppressedReason(finding)));
}

function select(finding: StoredFinding, skipReason: string | undefined): SelectedFinding {
  const planned: PlannedFinding = {
    findingId: finding.findingId,
    checkName: finding.checkName,
    auditTaskId: finding.taskId,
  };
  if (skipReason !== undefined) planned.skipReason = skipReason;
  return { planned, finding };
}

function filterReason(
  finding: StoredFinding,
  filter: Record<string, string[]> | undefined,
): string | undefined {
  if (filter === undefined) return undefined;
  const codes = filter[finding.checkName];
  if (codes === undefined)
    return `Skipped because auditCheckToReasonCodeFilter does not name check "${finding.checkName}"`;
  if (!codes.includes(finding.reasonForNonComplianceCode))
    return `Skipped because reason code "${finding.reasonForNonComplianceCode}" is not in auditCheckToReasonCodeFilter for "${finding.checkName}"`;
  return undefined;
}

/** Suppressed findings are not mitigated; `isSuppressed` is as the audit reported the finding. */
function suppressedReason(finding: StoredFinding): string | undefined {
  return finding.isSuppressed ? 'Skipped because the finding is suppressed' : undefined;
}
