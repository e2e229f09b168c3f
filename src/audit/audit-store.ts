import type {
  AccountAuditConfiguration,
  AuditSuppression,
  AuditTask,
  ScheduledAudit,
  StoredFinding,
} from './audit-records.ts';

export interface FindingQuery {
  taskId?: string | undefined;
  checkName?: string | undefined;
  resourceKey?: string | undefined;
  startTime?: number | undefined;
  endTime?: number | undefined;
  suppressed?: boolean | undefined;
}

/** Durable storage of the audit: configuration, tasks, findings, suppressions, schedules. */
export interface AuditStore {
  getConfiguration(): Promise<AccountAuditConfiguration | undefined>;
  putConfiguration(configuration: AccountAuditConfiguration | undefined): Promise<void>;
  putTask(task: AuditTask): Promise<void>;
  getTask(taskId: string): Promise<AuditTask | undefined>;
  listTasks(startTime: number, endTime: number): Promise<AuditTask[]>;
  /** Stores a check's findings and the task's new state in one transaction. */
  putFindings(task: AuditTask, findings: StoredFinding[]): Promise<void>;
  getFinding(findingId: string): Promise<StoredFinding | undefined>;
  listFindings(query: FindingQuery): Promise<StoredFinding[]>;
  putSuppression(suppression: AuditSuppression): Promise<void>;
  deleteSuppression(checkName: string, resourceKey: string): Promise<void>;
  listSuppressions(): Promise<AuditSuppression[]>;
  putScheduledAudit(audit: ScheduledAudit): Promise<void>;
  deleteScheduledAudit(name: string): Promise<void>;
  listScheduledAudits(): Promise<ScheduledAudit[]>;
  /** Deletes tasks and findings that started before `before`; returns the rows deleted. */
  prune(before: number): Promise<number>;
}
