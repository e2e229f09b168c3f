import type { MitigationAction } from '../mitigation-types.ts';

/**
 * Audit and Detect mitigation tasks as Warden stores them, as generic mitigation documents.
 * Times are epoch milliseconds. Each task keeps a copy of the action definitions it started
 * with, so updating or deleting an action does not change a task that uses it.
 */

/**
 * Document kinds in the mitigation store.
 * TODO(mitigate): tasks are kept until deleted by hand, while AWS keeps them 90 days. Pruning
 * needs a way to delete executions, which the mitigation store does not offer yet.
 */
export const AUDIT_TASK_KIND = 'audit-mitigation-task';
export const AUDIT_PLAN_KIND = 'audit-mitigation-plan';
export const DETECT_TASK_KIND = 'detect-mitigation-task';

export type AuditMitigationTaskStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';
export type DetectMitigationTaskStatus = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED' | 'CANCELED';

/** `AuditMitigationActionsTaskTarget`: an audit, some of its findings, or named findings. */
export interface AuditMitigationTarget {
  auditTaskId?: string;
  findingIds?: string[];
  auditCheckToReasonCodeFilter?: Record<string, string[]>;
}

/** `TaskStatisticsForAuditCheck`: counts of findings by how the task ended for them. */
export interface FindingStatistics {
  totalFindingsCount: number;
  failedFindingsCount: number;
  succeededFindingsCount: number;
  skippedFindingsCount: number;
  canceledFindingsCount: number;
}

export interface AuditMitigationTask {
  taskId: string;
  clientRequestToken: string;
  /** Stable JSON of the request's target and mapping, to tell a retry from a new request. */
  requestKey: string;
  taskStatus: AuditMitigationTaskStatus;
  startTime: number;
  endTime?: number;
  target: AuditMitigationTarget;
  auditCheckToActionsMapping: Record<string, string[]>;
  actionsDefinition: MitigationAction[];
  /** Per check name of the mapping. */
  taskStatistics: Record<string, FindingStatistics>;
}

/** One finding a task covers, with the reason it is not acted on when it is skipped. */
export interface PlannedFinding {
  findingId: string;
  checkName: string;
  auditTaskId: string;
  skipReason?: string;
}

/** The findings of one audit mitigation task, in the order the task runs them. */
export interface AuditMitigationPlan {
  taskId: string;
  findings: PlannedFinding[];
}

/** `DetectMitigationActionsTaskTarget`: named violations, or those of a profile or behavior. */
export interface DetectMitigationTarget {
  violationIds?: string[];
  securityProfileName?: string;
  behaviorName?: string;
}

/** `DetectMitigationActionsTaskStatistics`: counts of executions by outcome. */
export interface DetectTaskStatistics {
  /** Executions that completed; failed ones are counted in `actionsFailed` only. */
  actionsExecuted: number;
  actionsSkipped: number;
  actionsFailed: number;
}

export interface DetectMitigationTask {
  taskId: string;
  clientRequestToken: string;
  requestKey: string;
  taskStatus: DetectMitigationTaskStatus;
  startTime: number;
  endTime?: number;
  target: DetectMitigationTarget;
  actions: string[];
  violationEventOccurrenceRange?: { startTime: number; endTime: number };
  onlyActiveViolationsIncluded: boolean;
  suppressedAlertsIncluded: boolean;
  actionsDefinition: MitigationAction[];
  taskStatistics: DetectTaskStatistics;
}

/** JSON with object keys sorted at every level, so equal requests give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => compareText(a, b));
  return Object.fromEntries(entries.map(([key, member]) => [key, sortKeys(member)]));
}

/** Orders by UTF-16 code units, the same in every locale. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
