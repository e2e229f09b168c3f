import type {
  AccountAuditConfiguration,
  AuditSuppression,
  AuditTask,
  ScheduledAudit,
  StoredFinding,
} from '../audit/audit-records.ts';
import { resourceKey } from '../audit/audit-records.ts';
import type { AuditStore, FindingQuery } from '../audit/audit-store.ts';
import type { SqliteHandle } from './sqlite-database.ts';
import { whereClause } from './where-clause.ts';

/** The audit's records in SQLite; every write commits before its promise resolves. */
export class SqliteAuditStore implements AuditStore {
  constructor(private readonly db: SqliteHandle) {}

  async getConfiguration(): Promise<AccountAuditConfiguration | undefined> {
    const row = this.db
      .prepare("SELECT data FROM audit_settings WHERE name = 'configuration'")
      .get() as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as AccountAuditConfiguration) : undefined;
  }

  async putConfiguration(configuration: AccountAuditConfiguration | undefined): Promise<void> {
    if (configuration === undefined) {
      this.db.prepare("DELETE FROM audit_settings WHERE name = 'configuration'").run();
      return;
    }
    this.db
      .prepare(
        "INSERT INTO audit_settings (name, data) VALUES ('configuration', ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data",
      )
      .run(JSON.stringify(configuration));
  }

  async putTask(task: AuditTask): Promise<void> {
    this.writeTask(task);
  }

  private writeTask(task: AuditTask): void {
    this.db
      .prepare(
        'INSERT INTO audit_tasks (task_id, start_time, data) VALUES (?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET data = excluded.data',
      )
      .run(task.taskId, task.startTime, JSON.stringify(task));
  }

  async getTask(taskId: string): Promise<AuditTask | undefined> {
    const row = this.db.prepare('SELECT data FROM audit_tasks WHERE task_id = ?').get(taskId) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as AuditTask) : undefined;
  }

  async listTasks(startTime: number, endTime: number): Promise<AuditTask[]> {
    const rows = this.db
      .prepare(
        'SELECT data FROM audit_tasks WHERE start_time >= ? AND start_time < ? ORDER BY start_time DESC, task_id',
      )
      .all(startTime, endTime) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as AuditTask);
  }

  async putFindings(task: AuditTask, findings: StoredFinding[]): Promise<void> {
    const insert = this.db.prepare(
      'INSERT INTO audit_findings (finding_id, task_id, check_name, finding_time, resource_key, suppressed, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const finding of findings) {
        insert.run(
          finding.findingId,
          finding.taskId,
          finding.checkName,
          finding.findingTime,
          resourceKey(finding.nonCompliantResource.resourceIdentifier),
          finding.isSuppressed ? 1 : 0,
          JSON.stringify(finding),
        );
      }
      this.writeTask(task);
    })();
  }

  async getFinding(findingId: string): Promise<StoredFinding | undefined> {
    const row = this.db
      .prepare('SELECT data FROM audit_findings WHERE finding_id = ?')
      .get(findingId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as StoredFinding) : undefined;
  }

  async listFindings(query: FindingQuery): Promise<StoredFinding[]> {
    const suppressed = query.suppressed === undefined ? undefined : Number(query.suppressed);
    const filter = whereClause([
      ['task_id = ?', query.taskId],
      ['check_name = ?', query.checkName],
      ['resource_key = ?', query.resourceKey],
      ['finding_time >= ?', query.startTime],
      ['finding_time < ?', query.endTime],
      ['suppressed = ?', suppressed],
    ]);
    const rows = this.db
      .prepare(
        `SELECT data FROM audit_findings ${filter.sql} ORDER BY finding_time DESC, finding_id`,
      )
      .all(...filter.values) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as StoredFinding);
  }

  async putSuppression(suppression: AuditSuppression): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO audit_suppressions (check_name, resource_key, data) VALUES (?, ?, ?) ON CONFLICT (check_name, resource_key) DO UPDATE SET data = excluded.data',
      )
      .run(
        suppression.checkName,
        resourceKey(suppression.resourceIdentifier),
        JSON.stringify(suppression),
      );
  }

  async deleteSuppression(checkName: string, key: string): Promise<void> {
    this.db
      .prepare('DELETE FROM audit_suppressions WHERE check_name = ? AND resource_key = ?')
      .run(checkName, key);
  }

  async listSuppressions(): Promise<AuditSuppression[]> {
    const rows = this.db.prepare('SELECT data FROM audit_suppressions').all() as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as AuditSuppression);
  }

  async putScheduledAudit(audit: ScheduledAudit): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO audit_schedules (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data',
      )
      .run(audit.scheduledAuditName, JSON.stringify(audit));
  }

  async deleteScheduledAudit(name: string): Promise<void> {
    this.db.prepare('DELETE FROM audit_schedules WHERE name = ?').run(name);
  }

  async listScheduledAudits(): Promise<ScheduledAudit[]> {
    const rows = this.db.prepare('SELECT data FROM audit_schedules ORDER BY name').all() as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as ScheduledAudit);
  }

  async prune(before: number): Promise<number> {
    return this.db.transaction(() => {
      const findings = this.db
        .prepare('DELETE FROM audit_findings WHERE finding_time < ?')
        .run(before).changes;
      const tasks = this.db
        .prepare('DELETE FROM audit_tasks WHERE start_time < ?')
        .run(before).changes;
      return findings + tasks;
    })();
  }
}

export const AUDIT_MIGRATION = {
  version: 4,
  name: 'audit',
  sql: `
    CREATE TABLE audit_settings (name TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE audit_tasks (task_id TEXT PRIMARY KEY, start_time INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE INDEX audit_tasks_start ON audit_tasks (start_time);
    CREATE TABLE audit_findings (finding_id TEXT PRIMARY KEY, task_id TEXT NOT NULL, check_name TEXT NOT NULL, finding_time INTEGER NOT NULL, resource_key TEXT NOT NULL, suppressed INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE INDEX audit_findings_task ON audit_findings (task_id, check_name);
    CREATE INDEX audit_findings_time ON audit_findings (finding_time);
    CREATE TABLE audit_suppressions (check_name TEXT NOT NULL, resource_key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (check_name, resource_key));
    CREATE TABLE audit_schedules (name TEXT PRIMARY KEY, data TEXT NOT NULL);
  `,
};
