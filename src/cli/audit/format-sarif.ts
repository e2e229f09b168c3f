/**
 * The SARIF 2.1.0 report (OASIS SARIF 2.1.0 with its errata), for code-scanning tools: one run
 * whose driver is Warden, a rule per check, and a result per finding. Offline findings point at
 * the file their resource was read from. Online findings carry only a logical location (the
 * resource type and id), because a live registry has no file.
 */

import { readFileSync } from 'node:fs';
import type { AuditSeverity } from '../../audit/audit-types.ts';
import type { OfflineProblem } from '../../audit/offline/offline-inputs.ts';
import { resourceKey } from '../../audit/audit-records.ts';
import {
  findingTechniqueRefs,
  incompleteReason,
  type AuditFindingJson,
  type AuditReport,
} from './audit-report.ts';
import { describeCheck } from './check-descriptions.ts';
import { resourceId } from './resource-label.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The URI base id that offline artifact locations are relative to. */
const FOLDER_BASE = 'AUDITFOLDER';

/** SARIF `level` of each severity: CRITICAL and HIGH are errors, MEDIUM warnings, LOW notes. */
export const SARIF_LEVEL: Record<AuditSeverity, 'error' | 'warning' | 'note'> = {
  CRITICAL: 'error',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
};

/**
 * The `security-severity` score of each severity. GitHub code scanning reads scores over 9.0 as
 * critical, 7.0 to 8.9 as high, 4.0 to 6.9 as medium and 3.9 or less as low.
 */
export const SECURITY_SEVERITY: Record<AuditSeverity, string> = {
  CRITICAL: '9.5',
  HIGH: '8.0',
  MEDIUM: '5.5',
  LOW: '3.0',
};

/** Renders the report as a SARIF log, ending with a newline. */
export function formatSarif(report: AuditReport, folderUri?: string): string {
  const ruleIds = ruleNames(report);
  const severities = new Map(report.checks.map((check) => [check.checkName, check.severity]));
  for (const finding of report.findings) severities.set(finding.checkName, finding.severity);

  const run = {
    tool: {
      driver: {
        name: 'Warden',
        version: wardenVersion(),
        rules: ruleIds.map((id) => rule(id, severities.get(id))),
      },
    },
    ...(folderUri === undefined
      ? {}
      : { originalUriBaseIds: { [FOLDER_BASE]: { uri: folderUri } } }),
    invocations: [invocation(report)],
    results: report.findings.map((finding) => result(report, finding, ruleIds)),
  };
  const log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleNames(report: AuditReport): string[] {
  const names = new Set(report.checks.map((check) => check.checkName));
  for (const finding of report.findings) names.add(finding.checkName);
  return [...names];
}

function rule(id: string, severity: AuditSeverity | undefined) {
  return {
    id,
    name: pascalCase(id),
    shortDescription: { text: describeCheck(id) },
    ...(severity === undefined
      ? {}
      : {
          defaultConfiguration: { level: SARIF_LEVEL[severity] },
          properties: {
            'security-severity': SECURITY_SEVERITY[severity],
            tags: ['security', 'iot', severity.toLowerCase()],
          },
        }),
  };
}

function result(report: AuditReport, finding: AuditFindingJson, ruleIds: string[]) {
  const resource = finding.nonCompliantResource;
  const location = report.locations.get(finding.findingId);
  const logical = {
    name: resourceId(resource),
    fullyQualifiedName: `${resource.resourceType}/${resourceId(resource)}`,
    kind: 'resource',
  };
  const physical =
    location === undefined
      ? undefined
      : {
          artifactLocation: { uri: encodeURI(location.file), uriBaseId: FOLDER_BASE },
          ...(location.line === undefined ? {} : { region: { startLine: location.line } }),
        };
  return {
    ruleId: finding.checkName,
    ruleIndex: ruleIds.indexOf(finding.checkName),
    level: SARIF_LEVEL[finding.severity],
    message: { text: finding.reasonForNonCompliance },
    locations: [
      { ...(physical ? { physicalLocation: physical } : {}), logicalLocations: [logical] },
    ],
    partialFingerprints: {
      'wardenResource/v1': `${finding.checkName}:${resourceKey(resource.resourceIdentifier)}`,
    },
    ...(finding.isSuppressed ? { suppressions: [{ kind: 'external', status: 'accepted' }] } : {}),
    properties: {
      findingId: finding.findingId,
      taskId: finding.taskId,
      resourceType: resource.resourceType,
      resourceIdentifier: resource.resourceIdentifier,
      reasonForNonComplianceCode: finding.reasonForNonComplianceCode,
      ...(resource.additionalInfo === undefined ? {} : { additionalInfo: resource.additionalInfo }),
      relatedResources: finding.relatedResources,
      techniques: findingTechniqueRefs(finding),
    },
  };
}

/** Builds the invocation: whether the audit completed, and notifications of what it left out. */
function invocation(report: AuditReport) {
  const notifications = [
    ...report.skipped.map(skippedNotification),
    ...report.notRun.map((item) => ({
      level: 'note',
      message: { text: `Check ${item.checkName} was not run: ${item.reason}` },
    })),
    ...report.checks
      .filter((check) => check.details.checkRunStatus === 'FAILED')
      .map((check) => ({
        level: 'error',
        message: {
          text: `Check ${check.checkName} failed: ${check.details.message ?? 'no reason given'}`,
        },
      })),
  ];
  return {
    executionSuccessful: incompleteReason(report) === undefined,
    ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
  };
}

function skippedNotification(problem: OfflineProblem) {
  const region = problem.line === undefined ? {} : { region: { startLine: problem.line } };
  return {
    level: 'warning',
    message: { text: `Skipped: ${problem.message}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(problem.file), uriBaseId: FOLDER_BASE },
          ...region,
        },
      },
    ],
  };
}

function pascalCase(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

let version: string | undefined;

/** Warden's version from package.json, read once. */
function wardenVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
  return version;
}
