/**
 * The table report: a summary by check (check, severity, status, resources, non-compliant,
 * suppressed), then the findings (severity, check, resource, reason), then what was left out and
 * the result that decides the exit code.
 */

import { formatProblem } from '../../audit/offline/offline-inputs.ts';
import type { AuditSeverity } from '../../audit/audit-types.ts';
import {
  findingTechniqueRefs,
  countBySeverity,
  failingFindings,
  incompleteReason,
  type AuditFindingJson,
  type AuditReport,
} from './audit-report.ts';
import { resourceLabel } from './resource-label.ts';
import type { Style } from './terminal.ts';
import { renderTable, wrap, type TableColumn } from './text-table.ts';

export interface TableFormatOptions {
  /** Characters per line; no limit when absent, as for a file or a pipe. */
  width?: number;
  colour: boolean;
}

const SEVERITY_STYLE: Record<string, Style> = {
  CRITICAL: 'red',
  HIGH: 'red',
  MEDIUM: 'yellow',
  LOW: 'cyan',
};

const STATUS_STYLE: Record<string, Style> = {
  COMPLETED_COMPLIANT: 'green',
  COMPLETED_NON_COMPLIANT: 'red',
  FAILED: 'red',
  CANCELED: 'yellow',
  WAITING_FOR_DATA_COLLECTION: 'yellow',
  IN_PROGRESS: 'yellow',
};

/** Renders the report as text, ending with a newline. */
export function formatTable(report: AuditReport, options: TableFormatOptions): string {
  const table = (columns: TableColumn[], rows: string[][]) => renderTable(columns, rows, options);
  const text = (line: string, indent = '') => paragraph(line, options.width, indent);
  const lines = [...text(title(report)), ''];
  lines.push(...table(checkColumns(), report.checks.map(checkRow)));

  for (const item of report.notRun)
    lines.push(...text(`Not run: ${item.checkName}: ${item.reason}`));
  for (const check of report.checks) {
    if (check.details.checkRunStatus !== 'FAILED') continue;
    lines.push(
      ...text(`Failed: ${check.checkName}: ${check.details.message ?? 'no reason given'}`),
    );
  }

  lines.push('');
  if (report.findings.length === 0) lines.push('No findings.');
  else {
    lines.push(`Findings (${findingCount(report.findings)}):`);
    lines.push(
      ...table(
        findingColumns(),
        report.findings.map((f) => findingRow(report, f)),
      ),
    );
  }

  if (report.skipped.length > 0) {
    lines.push('', `Skipped ${countText(report.skipped.length, 'unreadable input')}:`);
    for (const problem of report.skipped) lines.push(...text(formatProblem(problem), '  '));
  }
  lines.push('', ...text(resultLine(report)));
  return `${lines.join('\n')}\n`;
}

/** Wraps prose to the width; continuation lines are indented two more spaces than the first. */
function paragraph(line: string, width: number | undefined, indent: string): string[] {
  if (width === undefined) return [`${indent}${line}`];
  const [first = '', ...rest] = wrap(line, Math.max(20, width - indent.length - 2));
  return [`${indent}${first}`, ...rest.map((part) => `${indent}  ${part}`)];
}

function title(report: AuditReport): string {
  if (report.source.kind === 'online')
    return `Audit of Warden at ${report.source.endpoint}: task ${report.taskId}, ${report.taskStatus}`;
  const files = countText(report.source.fileCount, 'input file');
  return `Offline audit of ${report.source.folder}: ${files}, ${report.skipped.length} skipped, task ${report.taskStatus}`;
}

function checkColumns(): TableColumn[] {
  return [
    { header: 'CHECK', wrap: true },
    { header: 'SEVERITY', style: (text) => SEVERITY_STYLE[text] },
    { header: 'STATUS', wrap: true, style: (text) => STATUS_STYLE[text] },
    { header: 'RESOURCES', align: 'right' },
    { header: 'NON-COMPLIANT', align: 'right' },
    { header: 'SUPPRESSED', align: 'right' },
  ];
}

function checkRow(check: AuditReport['checks'][number]): string[] {
  const count = (value: number | undefined) => (value === undefined ? '-' : String(value));
  return [
    check.checkName,
    check.severity ?? '-',
    check.details.checkRunStatus,
    count(check.details.totalResourcesCount),
    count(check.details.nonCompliantResourcesCount),
    count(check.details.suppressedNonCompliantResourcesCount),
  ];
}

function findingColumns(): TableColumn[] {
  return [
    { header: 'SEVERITY', style: (text) => SEVERITY_STYLE[text] },
    { header: 'CHECK', wrap: true },
    { header: 'RESOURCE', wrap: true },
    { header: 'REASON', wrap: true },
    { header: 'ATT&CK', wrap: true },
  ];
}

function findingRow(report: AuditReport, finding: AuditFindingJson): string[] {
  const location = report.locations.get(finding.findingId);
  const where =
    location === undefined
      ? ''
      : ` (${location.file}${location.line === undefined ? '' : `:${location.line}`})`;
  const reason = finding.isSuppressed
    ? `Suppressed: ${finding.reasonForNonCompliance}`
    : finding.reasonForNonCompliance;
  return [
    finding.severity,
    finding.checkName,
    `${resourceLabel(finding.nonCompliantResource)}${where}`,
    reason,
    findingTechniqueRefs(finding)
      .map((technique) => technique.id)
      .join(' '),
  ];
}

function findingCount(findings: readonly AuditFindingJson[]): string {
  const suppressed = findings.filter((finding) => finding.isSuppressed).length;
  return suppressed === 0 ? `${findings.length}` : `${findings.length}, ${suppressed} suppressed`;
}

/** Writes the sentence that explains the exit code. */
function resultLine(report: AuditReport): string {
  const incomplete = incompleteReason(report);
  if (incomplete !== undefined) return `Result: the audit did not complete: ${incomplete}.`;
  const failing = failingFindings(report);
  const threshold = thresholdText(report.failOn);
  if (failing.length === 0) return `Result: compliant, no unsuppressed finding ${threshold}.`;
  const counts = Object.entries(countBySeverity(failing))
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
  const findings = countText(failing.length, 'unsuppressed finding');
  return `Result: ${findings} ${threshold} (${counts}).`;
}

function thresholdText(failOn: AuditSeverity): string {
  return failOn === 'LOW' ? 'of any severity' : `at or above ${failOn}`;
}

function countText(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
