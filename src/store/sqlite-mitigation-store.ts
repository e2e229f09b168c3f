import type {
  ExecutionQuery,
  MitigationDocument,
  MitigationStore,
} from '../mitigate/mitigation-store.ts';
import type { ExecutionRecord, MitigationAction } from '../mitigate/mitigation-types.ts';
import type { SqliteHandle } from './sqlite-database.ts';
import { whereClause } from './where-clause.ts';

/** Mitigation records in SQLite; every write commits before its promise resolves. */
export class SqliteMitigationStore implements MitigationStore {
  constructor(private readonly db: SqliteHandle) {}

  async listActions(): Promise<MitigationAction[]> {
    const rows = this.db.prepare('SELECT data FROM mitigation_actions ORDER BY name').all() as {
      data: string;
    }[];
    return rows.map((row) => JSON.parse(row.data) as MitigationAction);
  }

  async putAction(action: MitigationAction): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO mitigation_actions (name, data) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET data = excluded.data',
      )
      .run(action.actionName, JSON.stringify(action));
  }

  async deleteAction(actionName: string): Promise<void> {
    this.db.prepare('DELETE FROM mitigation_actions WHERE name = ?').run(actionName);
  }

  async putExecution(execution: ExecutionRecord): Promise<void> {
    const source = execution.source;
    this.db
      .prepare(
        'INSERT INTO mitigation_executions (id, task_id, finding_id, violation_id, start_time, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
      )
      .run(
        execution.executionId,
        execution.taskId ?? null,
        source.kind === 'audit-finding' ? source.findingId : null,
        source.kind === 'violation' ? source.violationId : null,
        execution.startTime,
        JSON.stringify(execution),
      );
  }

  async getExecution(executionId: string): Promise<ExecutionRecord | undefined> {
    const row = this.db
      .prepare('SELECT data FROM mitigation_executions WHERE id = ?')
      .get(executionId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as ExecutionRecord) : undefined;
  }

  async listExecutions(query: ExecutionQuery): Promise<ExecutionRecord[]> {
    const filter = whereClause([
      ['task_id = ?', query.taskId],
      ['finding_id = ?', query.findingId],
      ['violation_id = ?', query.violationId],
      ['start_time >= ?', query.startTime],
      ['start_time < ?', query.endTime],
    ]);
    const rows = this.db
      .prepare(`SELECT data FROM mitigation_executions ${filter.sql} ORDER BY start_time, id`)
      .all(...filter.values) as { data: string }[];
    const executions = rows.map((row) => JSON.parse(row.data) as ExecutionRecord);
    return query.thingName === undefined
      ? executions
      : executions.filter((execution) =>
          execution.target.thingNames.includes(query.thingName ?? ''),
        );
  }

  async putDocument(document: MitigationDocument): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO mitigation_documents (kind, key, data) VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET data = excluded.data',
      )
      .run(document.kind, document.key, JSON.stringify(document.data));
  }

  async getDocument(kind: string, key: string): Promise<unknown> {
    const row = this.db
      .prepare('SELECT data FROM mitigation_documents WHERE kind = ? AND key = ?')
      .get(kind, key) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as unknown) : undefined;
  }

  async listDocuments(kind: string): Promise<unknown[]> {
    const rows = this.db
      .prepare('SELECT data FROM mitigation_documents WHERE kind = ? ORDER BY key')
      .all(kind) as { data: string }[];
    return rows.map((row) => JSON.parse(row.data) as unknown);
  }

  async pruneExecutions(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM mitigation_executions WHERE start_time < ?').run(before)
      .changes;
  }

  async deleteDocument(kind: string, key: string): Promise<void> {
    this.db.prepare('DELETE FROM mitigation_documents WHERE kind = ? AND key = ?').run(kind, key);
  }
}

export const MITIGATION_MIGRATION = {
  version: 5,
  name: 'mitigation',
  sql: `
    CREATE TABLE mitigation_actions (name TEXT PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE mitigation_executions (id TEXT PRIMARY KEY, task_id TEXT, finding_id TEXT, violation_id TEXT, start_time INTEGER NOT NULL, data TEXT NOT NULL);
    CREATE INDEX mitigation_executions_task ON mitigation_executions (task_id);
    CREATE INDEX mitigation_executions_time ON mitigation_executions (start_time);
    CREATE TABLE mitigation_documents (kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, key));
  `,
};
