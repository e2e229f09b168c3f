import type { AuditResource, AuditSeverity, ResourceIdentifier } from './audit-types.ts';

/** Audit state as Warden stores it. Times are epoch milliseconds. */

export interface CheckConfiguration {
  enabled: boolean;
  configuration?: Record<string, string>;
}

export interface AccountAuditConfiguration {
  roleArn?: string;
  /** `SNS` → target, as in the AWS shape; the target ARN's last part names a Warden alert target. */
  notificationTargets: Record<string, { targetArn?: string; roleArn?: string; enabled?: boolean }>;
  checks: Record<string, CheckConfiguration>;
}

export type AuditTaskStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'CANCELED';
export type AuditTaskType = 'ON_DEMAND_AUDIT_TASK' | 'SCHEDULED_AUDIT_TASK';
export type CheckRunStatus =
  | 'IN_PROGRESS'
  | 'WAITING_FOR_DATA_COLLECTION'
  | 'CANCELED'
  | 'COMPLETED_COMPLIANT'
  | 'COMPLETED_NON_COMPLIANT'
  | 'FAILED';

export interface CheckDetails {
  checkRunStatus: CheckRunStatus;
  checkCompliant?: boolean;
  totalResourcesCount?: number;
  nonCompliantResourcesCount?: number;
  suppressedNonCompliantResourcesCount?: number;
  errorCode?: string;
  message?: string;
}

export interface AuditTask {
  taskId: string;
  taskType: AuditTaskType;
  taskStatus: AuditTaskStatus;
  startTime: number;
  endTime?: number;
  scheduledAuditName?: string;
  checks: Record<string, CheckDetails>;
}

export interface StoredFinding {
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
}

export interface AuditSuppression {
  checkName: string;
  resourceIdentifier: ResourceIdentifier;
  expirationDate?: number;
  suppressIndefinitely?: boolean;
  description?: string;
  clientRequestToken: string;
}

export type AuditFrequency = 'DAILY' | 'WEEKLY' | 'BIWEEKLY' | 'MONTHLY';
export type DayOfWeek = 'SUN' | 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT';

export interface ScheduledAudit {
  scheduledAuditName: string;
  frequency: AuditFrequency;
  dayOfWeek?: DayOfWeek;
  dayOfMonth?: string;
  targetCheckNames: string[];
  createdAt: number;
  /** Start of the previous run; the shared-certificate window of the next run begins here. */
  lastRunAt?: number;
  nextRunAt: number;
}

/** A stable key for a resource identifier: its members as JSON with sorted keys. */
export function resourceKey(identifier: ResourceIdentifier): string {
  return JSON.stringify(sortDeep(identifier));
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries.map(([key, member]) => [key, sortDeep(member)]));
}
